# Day before month, 24-hour clock, as in the region the department serves.
# One format for every date on a page, long or short: "7 Dec 2026, 14:05"
# reads the same everywhere and is never mistaken for 12 July.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday
