"""Kazakh date and number formats. Django ships none for kk, and without this module dates render
US-style (11/23/2026) and numbers with a decimal point. Kazakh official documents use
23.11.2026 (SHORT_DATE_FORMAT, used in tables and forms) and "23 қараша 2026 ж." in running text
(DATE_FORMAT), 1 234 567,89 for numbers, and the week starts on Monday.

"E" is the genitive month name ("қараша" as in "23 қараша"); our kk catalog gives it in lower case,
as Kazakh writes it inside a date (Django's kk catalog capitalises it). The input formats accept
the day-first form people type and the ISO form that <input type="date"> sends.
"""

DATE_FORMAT = "j E Y ж."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y ж. H:i"
YEAR_MONTH_FORMAT = "F Y ж."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a non-breaking space, so a number never wraps
NUMBER_GROUPING = 3
