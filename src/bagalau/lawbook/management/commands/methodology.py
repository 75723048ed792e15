"""`manage.py methodology`: the law explained, for integrators and auditors.

A stable interface over the rules core: list the versions, show a version and the clauses in
force on a date, compute a deadline day by day, check a quorum, grade a KPI count. Every
subcommand takes --json and then prints exactly one JSON object with at least `value` and
`clause`. Bad input exits non-zero with a message naming the argument. Calendar overrides are
read from the lawbook table and passed to the core, which never reads the database itself.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bagalau.lawbook.selectors import working_calendar
from bagalau.methodology import commission, deadlines, kpi
from bagalau.methodology.decision import jsonable
from bagalau.methodology.errors import (
    ClauseNotInForce,
    InvalidInput,
    MethodologyError,
    ParameterNotSet,
    UnknownRule,
    UnknownVersion,
)
from bagalau.methodology.explain import phrase, render_deadline
from bagalau.methodology.model import LANGUAGES, MethodologyVersion
from bagalau.methodology.resolution import clauses_in_force
from bagalau.methodology.versions import default_registry, get_version

# Core input fields -> the command's option names, so errors name what the user typed.
_OPTION_FOR_FIELD = {
    "achieved": "--achieved", "total": "--total", "members": "--members", "present": "--present",
    "lang": "--lang", "anchor": "--from",
}


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _count(value: int | None, option: str) -> int | None:
    if value is not None and value < 0:
        raise CommandError(f"{option}: must not be negative, got {value}")
    return value


def _required_count(value: int | None, option: str) -> int:
    if value is None:
        raise CommandError(f"{option} is required")
    counted = _count(value, option)
    assert counted is not None
    return counted


class Command(BaseCommand):
    help = "Explain the methodology: versions, clauses in force, deadlines, quorum, KPI grades."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{list,show,deadline,quorum,grade}")

        def add(name: str, help_text: str) -> CommandParser:
            p = sub.add_parser(name, help=help_text)
            p.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")
            p.add_argument("--lang", default="kk", help="kk (default), ru or en")
            return p

        add("list", "print the version ids")
        show = add("show", "a version and the clauses in force on a date")
        show.add_argument("--version", dest="version_id", required=True)
        show.add_argument("--date", required=True, help="YYYY-MM-DD")

        deadline = add("deadline", "a due date and how it was counted, day by day")
        deadline.add_argument("--version", dest="version_id", required=True)
        deadline.add_argument("--rule", required=True, help="e.g. appeal_last_day")
        deadline.add_argument("--from", dest="from_date", required=True, help="the event date, YYYY-MM-DD")

        quorum = add("quorum", "whether the members present make a quorum")
        quorum.add_argument("--version", dest="version_id", required=True)
        quorum.add_argument("--members", type=int, required=True)
        quorum.add_argument("--present", type=int, required=True)
        quorum.add_argument("--date", help="the sitting date: checks the clause is in force")

        grade = add("grade", "the rating for a number of KPIs achieved")
        grade.add_argument("--version", dest="version_id", required=True)
        grade.add_argument("--achieved", type=int, required=True)
        grade.add_argument("--total", type=int)
        grade.add_argument("--date", help="the evaluation date: checks the clause is in force")

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"]
        if lang not in LANGUAGES:
            raise CommandError(f"--lang: must be one of {', '.join(LANGUAGES)}, got {lang!r}")
        handler = getattr(self, f"_{options['subcommand']}")
        try:
            result, lines = handler(options, lang)
        except UnknownVersion as exc:
            raise CommandError(f"--version: {exc}") from exc
        except UnknownRule as exc:
            raise CommandError(f"--rule: {exc}") from exc
        except ParameterNotSet as exc:
            raise CommandError(f"--version: {exc}") from exc
        except ClauseNotInForce as exc:
            option = "--from" if options["subcommand"] == "deadline" else "--date"
            raise CommandError(f"{option}: {exc}") from exc
        except InvalidInput as exc:
            raise CommandError(f"{_OPTION_FOR_FIELD.get(exc.field, exc.field)}: {exc.problem}") from exc
        except MethodologyError as exc:
            raise CommandError(str(exc)) from exc
        if options["as_json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True))
        else:
            self.stdout.write("\n".join(lines))

    # -- subcommands: each returns (the JSON object, the text lines) ----------------------------

    def _version(self, options: dict[str, Any]) -> MethodologyVersion:
        return get_version(options["version_id"])

    def _list(self, options: dict[str, Any], lang: str) -> tuple[dict[str, Any], list[str]]:
        versions = list(default_registry())
        lines = [phrase("version_line", lang, "command", id=v.id, generation=v.generation, kind=v.kind,
                        title=v.title.get(lang)) for v in versions]
        return {
            "value": [v.id for v in versions],
            "clause": None,
            "versions": [{"id": v.id, "generation": v.generation, "kind": v.kind, "title": v.title.as_dict(),
                          "valid_from": v.valid_from.isoformat(),
                          "valid_to": v.valid_to.isoformat() if v.valid_to else None} for v in versions],
        }, lines

    def _show(self, options: dict[str, Any], lang: str) -> tuple[dict[str, Any], list[str]]:
        version = self._version(options)
        on = _date(options["date"], "--date")
        assert on is not None
        ident = version.identity
        end = version.valid_to.isoformat() if version.valid_to else phrase("open_end", lang, "command")
        lines = [
            phrase("version_line", lang, "command", id=version.id, generation=version.generation,
                   kind=version.kind, title=version.title.get(lang)),
            phrase("act", lang, "command", body=ident.issuing_body.get(lang), number=ident.number,
                   date=ident.date.isoformat(), reg=ident.state_registration_number or "—"),
        ]
        for act in ident.amended_by:
            lines.append(phrase("amended", lang, "command", number=act.number, date=act.date.isoformat(),
                                effective=act.entry_into_force.date.isoformat()))
        if ident.repealed_by:
            act = ident.repealed_by
            lines.append(phrase("repealed", lang, "command", number=act.number, date=act.date.isoformat(),
                                effective=act.entry_into_force.date.isoformat()))
        lines.append(phrase("validity", lang, "command", start=version.valid_from.isoformat(), end=end))
        if not version.covers(on):
            lines.append(phrase("not_in_force", lang, "command", date=on.isoformat()))
        in_force = clauses_in_force(version, on)
        unverified = phrase("unverified_mark", lang, "command")
        lines.append(phrase("clauses_on", lang, "command", date=on.isoformat()))
        for c in in_force:
            mark = "" if c.verified else f" [{unverified}]"
            lines.append(f"  {c.id}: {c.title.get(lang)} ({c.period()}){mark}")
        lines.append(phrase("parameters", lang, "command"))
        ids_in_force = {c.id for c in in_force}
        params = []
        for p in version.parameters.values():
            if p.clause not in ids_in_force:
                continue
            shown = phrase("not_set", lang, "command") if p.value is None else _short(p.value)
            mark = "" if p.verified else f" [{unverified}]"
            lines.append(f"  {p.key} = {shown} ({p.clause}){mark}")
            params.append({"key": p.key, "value": jsonable(p.value), "clause": p.clause, "verified": p.verified,
                           "note": p.note})
        value = {
            "id": version.id, "generation": version.generation, "kind": version.kind,
            "title": version.title.as_dict(), "in_force": version.covers(on), "date": on.isoformat(),
            "valid_from": version.valid_from.isoformat(),
            "valid_to": version.valid_to.isoformat() if version.valid_to else None,
            "identity": {
                "issuing_body": ident.issuing_body.as_dict(), "number": ident.number,
                "date": ident.date.isoformat(), "state_registration_number": ident.state_registration_number,
                "amended_by": [{"number": a.number, "date": a.date.isoformat(),
                                "effective": a.entry_into_force.date.isoformat(),
                                "verified": a.entry_into_force.verified} for a in ident.amended_by],
                "repealed_by": None if not ident.repealed_by else {
                    "number": ident.repealed_by.number, "date": ident.repealed_by.date.isoformat(),
                    "effective": ident.repealed_by.entry_into_force.date.isoformat(),
                    "verified": ident.repealed_by.entry_into_force.verified},
            },
            "clauses": [{"id": c.id, "title": c.title.as_dict(), "kk_ref": c.kk_ref,
                         "valid_from": c.valid_from.isoformat(),
                         "valid_to": c.valid_to.isoformat() if c.valid_to else None,
                         "verified": c.verified} for c in in_force],
            "parameters": params,
        }
        return {"value": value, "clause": None, "clauses": [c.id for c in in_force]}, lines

    def _deadline(self, options: dict[str, Any], lang: str) -> tuple[dict[str, Any], list[str]]:
        version = self._version(options)
        anchor = _date(options["from_date"], "--from")
        assert anchor is not None
        decision = deadlines.compute_deadline(version, options["rule"], anchor, working_calendar())
        lines = render_deadline(decision, lang)
        return {**decision.as_dict(), "explanation": lines}, lines

    def _quorum(self, options: dict[str, Any], lang: str) -> tuple[dict[str, Any], list[str]]:
        version = self._version(options)
        members = _required_count(options["members"], "--members")
        present = _required_count(options["present"], "--present")
        decision = commission.quorum(version, members, present, on=_date(options["date"], "--date"))
        key = "quorum_met" if decision.value else "quorum_not_met"
        line = phrase(key, lang, "command", present=present, members=members,
                      required=decision.details["required"], clause=decision.clause, version=version.id)
        return decision.as_dict(), [line]

    def _grade(self, options: dict[str, Any], lang: str) -> tuple[dict[str, Any], list[str]]:
        version = self._version(options)
        achieved = _required_count(options["achieved"], "--achieved")
        total = _count(options["total"], "--total")
        decision = kpi.grade(version, achieved, total, on=_date(options["date"], "--date"))
        line = phrase("grade", lang, "command", achieved=achieved, total=decision.inputs["total"],
                      label=decision.details["label"][lang], code=decision.value, clause=decision.clause,
                      version=version.id)
        return decision.as_dict(), [line]


def _short(value: Any) -> str:
    """A one-line rendering of a parameter value for the text output."""
    text = json.dumps(jsonable(value), ensure_ascii=False)
    return text if len(text) <= 100 else text[:97] + "..."
