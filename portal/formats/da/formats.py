# Danish: Django's own formats, and the programme's day ("mandag den 13. oktober 2025").
from django.conf.locale.da.formats import *  # noqa: F403

DAY_FORMAT = r"l \d\e\n j. F Y"
