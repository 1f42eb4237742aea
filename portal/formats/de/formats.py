# German: Django's own formats, and the programme's day ("Montag, 13. Oktober 2025").
from django.conf.locale.de.formats import *  # noqa: F403

DAY_FORMAT = r"l, j. F Y"
