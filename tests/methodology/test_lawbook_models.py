"""The lawbook app: calendar overrides and methodology adoptions, and their selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from bagalau.lawbook import selectors
from bagalau.lawbook.models import CalendarOverride, MethodologyAdoption
from bagalau.methodology.calendar import CalendarOverride as CoreOverride
from bagalau.methodology.errors import NoVersionInForce

D = dt.date
pytestmark = pytest.mark.django_db


def adoption(body, version_id, start, end=None):
    return MethodologyAdoption(body=body, version_id=version_id, valid_from=start, valid_to=end)


def error_codes(err: pytest.ExceptionInfo) -> list[str]:
    """Codes, not messages: the messages are translated (kk is the default language)."""
    return [e.code for errors in err.value.error_dict.values() for e in errors]


def test_override_requires_its_legal_act():
    with pytest.raises(ValidationError) as err:
        CalendarOverride(date=D(2026, 8, 31), is_working=False, legal_act="").full_clean()
    assert "legal_act" in err.value.message_dict


def test_override_date_is_unique():
    CalendarOverride.objects.create(date=D(2026, 8, 31), is_working=False, legal_act="decree 1")
    with pytest.raises(IntegrityError):
        CalendarOverride.objects.create(date=D(2026, 8, 31), is_working=True, legal_act="decree 2")


def test_calendar_overrides_selector_returns_core_objects_in_date_order():
    CalendarOverride.objects.create(date=D(2026, 8, 31), is_working=False, legal_act="b", note_ru="День Конституции")
    CalendarOverride.objects.create(date=D(2026, 1, 3), is_working=True, legal_act="a")
    assert selectors.calendar_overrides() == (
        CoreOverride(D(2026, 1, 3), True, "a"),
        CoreOverride(D(2026, 8, 31), False, "b", note_ru="День Конституции"),
    )
    assert selectors.working_calendar().day(D(2026, 8, 31)).working is False


def test_adoption_version_id_must_be_a_shipped_version(body):
    with pytest.raises(ValidationError) as err:
        adoption(body, "koksu-3-25", D(2023, 8, 1)).full_clean()
    assert error_codes(err) == ["unknown_version"]
    adoption(body, "koksu-3-24", D(2023, 8, 1)).full_clean()


def test_overlapping_adoptions_of_one_body_are_rejected(body):
    adoption(body, "kentau-161", D(2018, 6, 4)).save()  # open-ended
    with pytest.raises(ValidationError) as err:
        adoption(body, "typical-g2023", D(2023, 8, 19)).full_clean()
    assert error_codes(err) == ["overlapping_adoption"]


def test_closed_adoption_then_next_one_is_fine(body, other_body):
    adoption(body, "kentau-161", D(2018, 6, 4), D(2023, 8, 18)).save()
    adoption(body, "typical-g2023", D(2023, 8, 19)).full_clean()
    with pytest.raises(ValidationError) as err:
        adoption(body, "typical-g2023", D(2023, 8, 18)).full_clean()
    assert error_codes(err) == ["overlapping_adoption"]
    adoption(other_body, "koksu-3-24", D(2020, 1, 1)).full_clean()  # another body is independent


def test_adoption_cannot_end_before_it_starts(body):
    with pytest.raises(ValidationError) as err:
        adoption(body, "koksu-3-24", D(2023, 8, 1), D(2023, 7, 1)).full_clean()
    assert "valid_to" in err.value.message_dict


def test_version_for_body_and_date(body):
    adoption(body, "kentau-161", D(2018, 6, 4), D(2023, 8, 18)).save()
    adoption(body, "typical-g2023", D(2023, 8, 19)).save()
    assert selectors.version_for(body, D(2022, 5, 1)).id == "kentau-161"
    assert selectors.version_for(body, D(2024, 5, 2)).id == "typical-g2023"
    with pytest.raises(NoVersionInForce):
        selectors.version_for(body, D(2017, 1, 1))
