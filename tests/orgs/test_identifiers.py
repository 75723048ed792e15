"""IIN and BIN check digits (Kazakhstan national identifiers)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from bagalau.orgs.identifiers import check_digit, iin_birth_date, make_iin, validate_bin, validate_iin

# Worked by hand: 880101300123 -> weights 1..11 over 8,8,0,1,0,1,3,0,0,1,2:
# 8+16+0+4+0+6+21+0+0+10+22 = 87; 87 mod 11 = 10 -> second pass with 3..11,1,2:
# 24+32+0+6+0+8+27+0+0+1+4 = 102; 102 mod 11 = 3.
VALID_IINS = ["880101300123", "950615450013"]


def test_check_digit_by_hand():
    assert check_digit("88010130012") == 3


def test_check_digit_second_pass_and_unissuable():
    # 00000000001 ... first pass: 11*1 = 11 mod 11 = 0
    assert check_digit("00000000001") == 0


@pytest.mark.parametrize("iin", VALID_IINS)
def test_valid_iins_pass(iin):
    validate_iin(iin)


@pytest.mark.parametrize(
    "iin, code",
    [
        ("880101300124", "check_digit"),  # last digit off by one
        ("88010130012", "length"),
        ("88010130012X", "length"),
        ("881301300120", None),  # month 13: birth-date rule (check digit may fail first)
        ("880101900123", None),  # century digit 9
    ],
)
def test_invalid_iins_fail(iin, code):
    with pytest.raises(ValidationError) as err:
        validate_iin(iin)
    if code:
        assert err.value.code == code


def test_birth_date_rule_names_itself():
    head = "8813013001"  # month 13
    for last in range(10):
        candidate = f"{head}2{last}"
        if check_digit(candidate[:11]) == last:
            with pytest.raises(ValidationError) as err:
                validate_iin(candidate)
            assert err.value.code == "birth_date"
            return
    raise AssertionError("no candidate with a good check digit was built")


def test_birth_date_decoded():
    assert iin_birth_date("880101300123") == dt.date(1988, 1, 1)


@given(st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2007, 12, 31)),
       st.integers(min_value=0, max_value=9999), st.booleans())
def test_make_iin_always_validates(birth, serial, female):
    iin = make_iin(birth, serial, female=female)
    validate_iin(iin)
    assert iin_birth_date(iin) == birth
    assert int(iin[6]) % 2 == (0 if female else 1)


def test_bin_check_digit():
    from tests.factories import make_bin

    validate_bin(make_bin(7))
    bad = make_bin(7)
    bad = bad[:11] + str((int(bad[11]) + 1) % 10)
    with pytest.raises(ValidationError):
        validate_bin(bad)
