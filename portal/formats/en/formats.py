# English dates the way a European reader reads them, never month first: "13 October 2025" in
# text, "13 Oct 2025" in tables (Django's own English formats are American: "Oct. 13, 2025";
# 13/10/2025 reads as a date either way only when the day is past the 12th).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# A day of the programme: "Monday 13 October 2025".
DAY_FORMAT = "l j F Y"
FIRST_DAY_OF_WEEK = 1
