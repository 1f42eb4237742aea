"""The site's own texts, in every shipped language (portal.i18n)."""

from portal.i18n import register_translated
from portal.models import SiteSettings

register_translated(SiteSettings, "tagline", "intro", "carry_over_rule")
