"""Kazakhstan personal (IIN) and business (BIN) identification numbers.

Both are 12 digits whose last digit is a check digit computed the same way: weights 1..11 over the
first eleven digits, modulo 11; if that gives 10, a second pass with weights 3..11,1,2; if that
also gives 10 the number is invalid (such numbers are never issued). An IIN also carries the date
of birth (YYMMDD) and, in the 7th digit, the century and sex (1-2: 1800s, 3-4: 1900s, 5-6: 2000s).
Errors are returned as message codes so forms and imports can say exactly what is wrong.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def check_digit(first_eleven: str) -> int | None:
    """The check digit for eleven digits, or None when no valid number can end them."""
    digits = [int(c) for c in first_eleven]
    value = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if value == 10:
        value = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
    return None if value == 10 else value


def _check_shape_and_digit(value: str, label: str) -> None:
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(
            _("%(label)s must be exactly 12 digits."), code="length", params={"label": label}
        )
    expected = check_digit(value[:11])
    if expected is None or expected != int(value[11]):
        raise ValidationError(
            _("%(label)s check digit is wrong: the number is mistyped."),
            code="check_digit",
            params={"label": label},
        )


def iin_birth_date(value: str) -> dt.date:
    """The date of birth encoded in an IIN (raises ValidationError if it is not a real date)."""
    century_digit = int(value[6])
    if century_digit not in _CENTURY:
        raise ValidationError(
            _("IIN 7th digit must be 1-6 (century and sex)."), code="century"
        )
    year = _CENTURY[century_digit] + int(value[0:2])
    try:
        return dt.date(year, int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise ValidationError(
            _("IIN digits 1-6 must be a date of birth (YYMMDD)."), code="birth_date"
        ) from None


def validate_iin(value: str) -> None:
    _check_shape_and_digit(value, str(_("IIN")))
    iin_birth_date(value)


def validate_bin(value: str) -> None:
    _check_shape_and_digit(value, str(_("BIN")))


def make_iin(birth: dt.date, serial: int, *, female: bool = False) -> str:
    """A valid IIN for a birth date and a 4-digit serial, for demo data and tests.

    Serials whose check digit would be 10 are skipped forward, as the registry does.
    """
    century = (birth.year // 100) * 100
    first = {1800: 1, 1900: 3, 2000: 5}[century] + (1 if female else 0)
    while True:
        head = f"{birth:%y%m%d}{first}{serial % 10000:04d}"
        digit = check_digit(head)
        if digit is not None:
            return head + str(digit)
        serial += 1
