"""Kazakhstan working days for civil servants (five-day week), spec sections 6.2 and 14.

The baseline is the pinned `holidays` package: public holidays, holidays carried over from a
weekend, government transfers (a weekday off in exchange for a working Saturday or Sunday). The
package knows transfers only up to its last data year (2025 in 0.109) and cannot know next
year's decree, so the application keeps an override table (extra days off, extra working days,
each with the act that set it) and passes it in: overrides win over the package.

Every answer says which calendar data it used (package version, overrides applied) and warns
when a year it touched has no transfer data, because a deadline computed on an incomplete
calendar must not look authoritative.

Counting rule (spec 6.2): the event is day 0 and is not counted; day 1 is the first working day
after it; "N working days before Y" is the N-th working day counting back from Y, Y excluded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import holidays

from bagalau.methodology.errors import InvalidInput

# Reasons a day is or is not a working day. The kk/ru/en wording lives in labels.yaml.
WORKDAY = "workday"
WEEKEND = "weekend"
PUBLIC_HOLIDAY = "public_holiday"
CARRIED_OVER = "carried_over_holiday"
TRANSFERRED_DAY_OFF = "transferred_day_off"
TRANSFERRED_WORKDAY = "transferred_workday"
OVERRIDE_DAY_OFF = "override_day_off"
OVERRIDE_WORKDAY = "override_workday"

# Longest span a single computation may walk; a guard against a runaway loop on bad input.
_MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class CalendarOverride:
    """An administrator's correction of the package: a day off or a working day, with its act.

    `legal_act` is required: a working-day change without the decree that made it cannot be
    audited.
    """

    date: dt.date
    is_working: bool
    legal_act: str
    note_kk: str = ""
    note_ru: str = ""

    def __post_init__(self) -> None:
        if not self.legal_act.strip():
            raise InvalidInput("legal_act", f"calendar override for {self.date} needs its legal act")

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "is_working": self.is_working,
            "legal_act": self.legal_act,
            "note_kk": self.note_kk,
            "note_ru": self.note_ru,
        }


@dataclass(frozen=True)
class DayStatus:
    """One calendar day with the reason it is (not) a working day."""

    date: dt.date
    working: bool
    reason: str
    holiday_kk: str | None = None
    holiday_en: str | None = None
    override: CalendarOverride | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "working": self.working,
            "reason": self.reason,
            "holiday_kk": self.holiday_kk,
            "holiday_en": self.holiday_en,
            "legal_act": self.override.legal_act if self.override else None,
        }


@dataclass(frozen=True)
class CalendarUsed:
    """The provenance of a calendar answer, stored with every deadline (spec 14.2)."""

    holidays_version: str
    last_transfer_year: int
    overrides_applied: tuple[CalendarOverride, ...] = ()
    warnings: tuple[str, ...] = ()
    years_without_transfers: tuple[int, ...] = ()
    estimated_holidays: tuple[dt.date, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "holidays_version": self.holidays_version,
            "last_transfer_year": self.last_transfer_year,
            "overrides_applied": [o.as_dict() for o in self.overrides_applied],
            "warnings": list(self.warnings),
            "years_without_transfers": list(self.years_without_transfers),
            "estimated_holidays": [d.isoformat() for d in self.estimated_holidays],
        }


@dataclass(frozen=True)
class CalendarAnswer:
    """A value with the calendar it came from and, for walks, each day looked at in order."""

    value: Any
    calendar: CalendarUsed
    days: tuple[DayStatus, ...] = field(default=())


@lru_cache(maxsize=64)
def _package_year(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year, language=language)


def last_transfer_year() -> int:
    """The last year for which the package carries government transfers (2025 in 0.109)."""
    # The table of transfers (special public holidays by year) is set on the instance.
    table = getattr(_package_year(2000, "kk"), "special_public_holidays", None) or {}
    return max(table) if table else 0


class WorkingCalendar:
    """The Kazakhstan five-day-week calendar with the application's overrides layered on top."""

    def __init__(self, overrides: Iterable[CalendarOverride] = ()) -> None:
        by_date: dict[dt.date, CalendarOverride] = {}
        for o in overrides:
            if o.date in by_date:
                raise InvalidInput("overrides", f"two calendar overrides for {o.date.isoformat()}")
            by_date[o.date] = o
        self._overrides = by_date
        self._last_transfer_year = last_transfer_year()

    # -- single days ---------------------------------------------------------------------------

    def day(self, date: dt.date) -> DayStatus:
        override = self._overrides.get(date)
        if override is not None:
            reason = OVERRIDE_WORKDAY if override.is_working else OVERRIDE_DAY_OFF
            return DayStatus(date, override.is_working, reason, override=override)
        kk = _package_year(date.year, "kk")
        if date in kk.weekend_workdays:
            return DayStatus(date, True, TRANSFERRED_WORKDAY)
        if date in kk:
            en_name = _package_year(date.year, "en_US").get(date) or ""
            if "substituted" in en_name:
                reason = TRANSFERRED_DAY_OFF
            elif "observed" in en_name:
                reason = CARRIED_OVER
            else:
                reason = PUBLIC_HOLIDAY
            return DayStatus(date, False, reason, holiday_kk=kk.get(date), holiday_en=en_name)
        if date.weekday() >= 5:
            return DayStatus(date, False, WEEKEND)
        return DayStatus(date, True, WORKDAY)

    def is_working_day(self, date: dt.date) -> CalendarAnswer:
        status = self.day(date)
        return CalendarAnswer(status.working, self._used([status]), (status,))

    # -- walks ---------------------------------------------------------------------------------

    def add_working_days(self, start: dt.date, n: int) -> CalendarAnswer:
        """The n-th working day after `start` (n < 0: before it). `start` is day 0, not counted.

        `days` holds every day walked, `start` first, so the count can be shown day by day.
        n = 0 returns `start` itself, whether or not it is a working day.
        """
        if abs(n) > _MAX_SPAN_DAYS // 2:
            raise InvalidInput("n", f"{n} working days is beyond what any methodology deadline needs")
        step = 1 if n >= 0 else -1
        walked = [self.day(start)]
        current, counted = start, 0
        while counted < abs(n):
            current += dt.timedelta(days=step)
            status = self.day(current)
            walked.append(status)
            if status.working:
                counted += 1
        return CalendarAnswer(current, self._used(walked), tuple(walked))

    def working_days_between(self, start: dt.date, end: dt.date) -> CalendarAnswer:
        """Working days in (start, end]: the inverse of `add_working_days` (negative if end < start)."""
        if abs((end - start).days) > _MAX_SPAN_DAYS:
            raise InvalidInput("end", "span longer than ten years")
        step = 1 if end >= start else -1
        walked = [self.day(start)]
        count, current = 0, start
        while current != end:
            current += dt.timedelta(days=step)
            status = self.day(current)
            walked.append(status)
            count += status.working
        return CalendarAnswer(count * step, self._used(walked), tuple(walked))

    # -- provenance ----------------------------------------------------------------------------

    def _used(self, days: list[DayStatus]) -> CalendarUsed:
        applied = tuple(d.override for d in days if d.override is not None)
        warnings: list[str] = []
        override_years = {o.date.year for o in self._overrides.values()}
        missing = tuple(
            year for year in sorted({d.date.year for d in days})
            if year > self._last_transfer_year and year not in override_years
        )
        for year in missing:
            warnings.append(
                f"no transfer data for {year}: holidays {holidays.__version__} has government "
                f"transfers up to {self._last_transfer_year}; enter that year's transfer decree "
                "as calendar overrides"
            )
        estimated = tuple(d.date for d in days if d.holiday_en and "estimated" in d.holiday_en)
        for date in estimated:
            warnings.append(f"{date.isoformat()}: the lunar date of the holiday is estimated")
        return CalendarUsed(holidays.__version__, self._last_transfer_year, applied, tuple(warnings),
                            missing, estimated)


# Module-level functions for callers that do not keep a calendar object around.


def is_working_day(date: dt.date, overrides: Iterable[CalendarOverride] = ()) -> CalendarAnswer:
    return WorkingCalendar(overrides).is_working_day(date)


def add_working_days(start: dt.date, n: int, overrides: Iterable[CalendarOverride] = ()) -> CalendarAnswer:
    return WorkingCalendar(overrides).add_working_days(start, n)


def working_days_between(
    start: dt.date, end: dt.date, overrides: Iterable[CalendarOverride] = ()
) -> CalendarAnswer:
    return WorkingCalendar(overrides).working_days_between(start, end)
