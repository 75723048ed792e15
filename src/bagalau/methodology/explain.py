"""Explaining a computed deadline in kk, ru or en, day by day.

Auditors and servants must be able to check a date by hand: the explanation names the rule and
its clause, walks every day from the event to the due date saying why each one was or was not
counted (with the decree behind a transfer or an override), and ends with the calendar data used
and its warnings. All wording comes from labels.yaml; this module only assembles it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bagalau.methodology.deadlines import CountedDay
from bagalau.methodology.decision import Decision
from bagalau.methodology.errors import InvalidInput
from bagalau.methodology.model import LANGUAGES

LABELS_FILE = Path(__file__).parent / "labels.yaml"


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    return yaml.load(LABELS_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def phrase(key: str, lang: str, section: str = "phrases", **values: Any) -> str:
    return labels()[section][key][lang].format(**values)


def holiday_name(day: CountedDay, lang: str) -> str | None:
    status = day.status
    if lang == "kk":
        return status.holiday_kk
    if lang == "en" or not status.holiday_en:
        return status.holiday_en
    match = re.fullmatch(r"(?P<base>[^(]+?)(?:\s*\((?P<kind>observed|estimated|substituted from)(?P<rest>[^)]*)\))?",
                         status.holiday_en)
    ru = labels()["holidays_ru"].get(match["base"]) if match else None
    if ru is None or match is None:
        return status.holiday_kk
    if match["kind"]:
        ru += " (" + labels()["holiday_suffixes_ru"][match["kind"]] + match["rest"] + ")"
    return ru


def format_day(date: dt.date, lang: str) -> str:
    return f"{labels()['weekdays'][lang][date.weekday()]} {date.strftime('%d.%m.%Y')}"


def render_deadline(decision: Decision, lang: str = "kk") -> list[str]:
    """The lines of the explanation of a `deadlines.compute_deadline` decision."""
    if lang not in LANGUAGES:
        raise InvalidInput("lang", f"must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    d = decision.details
    label = (d["label"] or {}).get(lang, d["rule"])
    anchor = d["anchor_label"][lang]
    lines = [phrase("header", lang, label=label, clause=decision.clause, version=decision.version_id)]
    if d["unit"] == "calendar_date":
        lines.append(phrase("calendar_date", lang, anchor=anchor, month_offset=d["month_offset"], day=d["day"]))
    else:
        lines.append(phrase(f"{d['unit']}_{d['direction']}", lang, anchor=anchor, amount=d["amount"]))
        lines.append(phrase("counting_rule", lang))
    reasons = labels()["reasons"]
    for day in decision.trace:
        status = day.status
        if day.is_anchor:
            what = phrase("anchor_day", lang)
        elif day.counted is not None:
            key = "counted" if d["unit"] == "working_days" else "counted_calendar"
            what = phrase(key, lang, n=day.counted)
        elif d["unit"] == "calendar_date":
            what = phrase("target_day", lang)
        else:
            what = phrase("skipped", lang)
        parts = [f"  {format_day(status.date, lang)}", what, reasons[status.reason][lang]]
        name = holiday_name(day, lang)
        if name:
            parts.append(name)
        if status.override is not None:
            parts.append(phrase("legal_act", lang, act=status.override.legal_act))
        lines.append(" — ".join(parts))
    lines.append(phrase("due", lang, date=format_day(decision.value, lang)))
    cal = d["calendar"]
    overrides = ", ".join(f"{o['date']} {o['legal_act']}" for o in cal["overrides_applied"])
    lines.append(phrase("calendar", lang, version=cal["holidays_version"], last=cal["last_transfer_year"],
                        overrides=overrides or phrase("no_overrides", lang)))
    for year in cal["years_without_transfers"]:
        lines.append(phrase("no_transfer_data", lang, year=year))
    for date in cal["estimated_holidays"]:
        lines.append(phrase("estimated_holiday", lang, date=date))
    last = decision.trace[-1].status if decision.trace else None
    if d["unit"] != "working_days" and last is not None and not last.working:
        lines.append(phrase("not_shifted", lang, date=format_day(last.date, lang)))
    if d["note"]:
        key = "unverified" if not decision.verified else "interpretation"
        lines.append(phrase(key, lang, note=d["note"]))
    elif not decision.verified:
        lines.append(phrase("unverified", lang, note=decision.clause))
    return lines
