"""The portal's own settings (read from the environment, production by default), with the
benchmark's baseline views added to the URLconf. Nothing else differs."""

from portal.settings import *  # noqa: F403
from portal.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
# Every municipality's addresses too (the root's language prefix follows the municipality's
# default language; the benchmark's municipalities share one).
MUNICIPALITY_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
