# Day before month, 24-hour clock: how the department writes dates in Arabic.
# One format for every date on a page, long or short: "7 ديسمبر 2026، 14:05"
# (Arabic has no short month names, so the month is always written out).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 6  # Saturday
