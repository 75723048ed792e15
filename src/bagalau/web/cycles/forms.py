"""Parsing the cycle pages' forms into the plain values the services take, and laying out the
form fields (with their values and errors) for the templates.

Field names follow the services' error keys, so an error lands against its field with no mapping
table: "kpis-3-deadline" is the third KPI's deadline input, "results-2-achieved" the second KPI's
result, "results-2-file" its evidence upload. Only the shape of the input is checked here (a choice
is one of the choices, an id is a number); every rule of the methodology is the services' job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bagalau.cycles.content import KPI_FIELDS
from bagalau.cycles.models import Kpi, PeriodKind
from bagalau.cycles.services.plans import MAX_KPIS

# Longest free text accepted in a search box or a filter.
SEARCH_MAX_LENGTH = 100
REASON_MAX_LENGTH = 4000


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]}; a plain one under "__all__"."""
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def leftover_errors(errors: Mapping[str, list[str]], shown: Iterable[str]) -> list[str]:
    """The messages of keys no field on the page shows, so none is lost."""
    shown = set(shown)
    return [m for key, messages in errors.items() if key not in shown for m in messages]


# -- the cycle ---------------------------------------------------------------------------------------

class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class CycleForm(forms.Form):
    """HR opens a cycle: a year, a quarter (dates computed) or a transitional window (dates given)."""

    kind = forms.ChoiceField(label=gettext_lazy("Period kind"), choices=PeriodKind.choices,
                             initial=PeriodKind.YEAR, widget=forms.RadioSelect)
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False)
    quarter = forms.TypedChoiceField(label=gettext_lazy("Quarter"), required=False, coerce=int, empty_value=None,
                                     choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")])
    period_start = forms.DateField(label=gettext_lazy("First day"), required=False, widget=DateInput())
    period_end = forms.DateField(label=gettext_lazy("Last day"), required=False, widget=DateInput())

    def service_arguments(self) -> dict[str, Any]:
        """Only the fields the chosen kind uses: the dates of a year or a quarter are computed."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == PeriodKind.TRANSITIONAL:
            return {"kind": kind, "period_start": data.get("period_start"), "period_end": data.get("period_end")}
        arguments = {"kind": kind, "year": data.get("year")}
        if kind == PeriodKind.QUARTER:
            arguments["quarter"] = data.get("quarter")
        return arguments

    def add_service_errors(self, exc: ValidationError) -> None:
        """Each error against its field; the dates' errors of a year or a quarter (an overlapping
        cycle) go above the form, since those inputs are not in use then."""
        in_use = set(self.fields) - ({"period_start", "period_end"}
                                     if self.cleaned_data.get("kind") != PeriodKind.TRANSITIONAL else set())
        for key, messages in error_dict(exc).items():
            for message in messages:
                self.add_error(key if key in in_use else None, message)


# -- the individual work plan ------------------------------------------------------------------------

@dataclass
class FieldView:
    name: str  # the form field name, e.g. "kpis-3-deadline"
    label: str
    value: str
    errors: list[str]
    widget: str  # "text", "textarea" or "date"
    maxlength: int | None = None
    wide: bool = False
    help: str = ""


@dataclass
class RowView:
    number: int
    fields: list[FieldView]
    errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(f.errors for f in self.fields)


KPI_WIDGETS = {
    "text_kk": ("textarea", None, False), "text_ru": ("textarea", None, False),
    "expected_change": ("textarea", None, False), "measure": ("textarea", None, False),
    "target": ("text", 200, False), "unit": ("text", 100, False),
    "deadline": ("date", None, False), "strategic_goal_ref": ("text", 300, False),
    "resources_note": ("textarea", None, True),
}
# The order of the Annex 9 columns.
KPI_FORM_ORDER = ("text_kk", "text_ru", "expected_change", "measure", "target", "unit", "deadline",
                  "strategic_goal_ref", "resources_note")
assert set(KPI_FORM_ORDER) == set(KPI_FIELDS)


def kpi_key(n: int, name: str) -> str:
    return f"kpis-{n}-{name}"


def kpi_label(name: str) -> str:
    field = Kpi._meta.get_field(name)
    return capfirst(str(getattr(field, "verbose_name", name)))


def _kpi_value(kpi: Kpi, name: str) -> str:
    value = getattr(kpi, name)
    if name == "deadline":
        return value.isoformat() if value else ""
    return value or ""


def parse_plan(post: Mapping[str, Any]) -> list[dict[str, str]]:
    """The KPI rows of the form, as strings; trailing blank rows are dropped (a blank row between
    filled ones stays, so the services' error keys keep pointing at the row on the page)."""
    rows: list[dict[str, str]] = []
    for n in range(1, MAX_KPIS + 1):
        if not any(kpi_key(n, name) in post for name in KPI_FIELDS):
            break
        rows.append({name: str(post.get(kpi_key(n, name), "")) for name in KPI_FIELDS})
    while rows and not any(v.strip() for v in rows[-1].values()):
        rows.pop()
    return rows


def plan_rows(*, count: int, kpis: Sequence[Kpi] = (), posted: Sequence[Mapping[str, str]] | None = None,
              errors: Mapping[str, list[str]] | None = None) -> list[RowView]:
    """The rows of the plan form: the posted values when re-rendering after an error, else the
    stored KPIs; at least `count` rows (the version's KPI count)."""
    errors = errors or {}
    values: list[Mapping[str, str]] = (list(posted) if posted is not None
                                       else [{n: _kpi_value(k, n) for n in KPI_FIELDS} for k in kpis])
    total = max(count, len(values), 1)
    rows = []
    for n in range(1, total + 1):
        current = values[n - 1] if n <= len(values) else {}
        fields = []
        for name in KPI_FORM_ORDER:
            widget, maxlength, wide = KPI_WIDGETS[name]
            fields.append(FieldView(name=kpi_key(n, name), label=kpi_label(name), value=current.get(name, ""),
                                    errors=errors.get(kpi_key(n, name), []), widget=widget, maxlength=maxlength,
                                    wide=wide))
        rows.append(RowView(number=n, fields=fields, errors=errors.get(f"kpis-{n}", [])))
    return rows


def plan_field_keys(rows: Sequence[RowView]) -> set[str]:
    keys = {"kpis"}
    for row in rows:
        keys.add(f"kpis-{row.number}")
        keys.update(f.name for f in row.fields)
    return keys


# -- the KPI sheet -----------------------------------------------------------------------------------

ACHIEVED_CHOICES = {"yes": True, "no": False, "": None}


def result_key(n: int, name: str) -> str:
    return f"results-{n}-{name}"


@dataclass
class SheetInput:
    results: list[dict[str, Any]]
    uploads: list[tuple[int, UploadedFile]]
    removals: list[int]


def parse_sheet(post: Mapping[str, Any], files: Mapping[str, Any], numbers: Iterable[int],
                file_ids: Iterable[int]) -> SheetInput:
    """Results, uploads and removals of the sheet form, or a ValidationError naming the fields
    whose value is not one the form offers (nothing is written then)."""
    errors: dict[str, str] = {}
    results, uploads = [], []
    for n in numbers:
        raw = str(post.get(result_key(n, "achieved"), ""))
        if raw not in ACHIEVED_CHOICES:
            errors[result_key(n, "achieved")] = _("Choose “achieved” or “not achieved”.")
            continue
        results.append({"number": n, "achieved": ACHIEVED_CHOICES[raw],
                        "evidence_text": str(post.get(result_key(n, "evidence_text"), ""))})
        upload = files.get(result_key(n, "file"))
        if upload is not None:
            uploads.append((n, upload))
    known = {str(i) for i in file_ids}
    removals = []
    for raw in post.getlist("remove") if hasattr(post, "getlist") else []:
        if raw not in known:
            errors["remove"] = _("No such evidence file on this sheet.")
            break
        removals.append(int(raw))
    if errors:
        raise ValidationError(errors)
    return SheetInput(results=results, uploads=uploads, removals=removals)


def sheet_field_keys(numbers: Iterable[int]) -> set[str]:
    keys = {"results", "remove", "file_id", "number"}
    for n in numbers:
        keys.update(result_key(n, name) for name in ("achieved", "indicators_met", "indicators_planned",
                                                     "evidence_text", "file", "number"))
    return keys


def row_errors(errors: Mapping[str, list[str]], n: int) -> dict[str, list[str]]:
    """One sheet row's errors by input: the result (however the service named it), the evidence
    text and the file."""
    def pick(*names: str) -> list[str]:
        return [m for name in names for m in errors.get(result_key(n, name), [])]

    return {"achieved": pick("achieved", "indicators_met", "indicators_planned", "number"),
            "evidence_text": pick("evidence_text"), "file": pick("file")}


def parse_version(post: Mapping[str, Any]) -> int:
    """The row version the form was rendered with (the optimistic-lock check)."""
    raw = str(post.get("version", "")).strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise ValidationError({"version": _("The form is missing its version number; reload the page.")})
    return int(raw)


def parse_reason(post: Mapping[str, Any]) -> str:
    reason = str(post.get("reason", ""))
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX_LENGTH}})
    return reason
