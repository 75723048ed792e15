"""Organisation endpoints: who am I, the body's servants, reporting lines, absences."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from bagalau.accounts.safety.export import export_servant
from bagalau.api.context import body_of
from bagalau.api.errors import ERRORS
from bagalau.api.types import IsoDate, Offset, SafeText
from bagalau.orgs import selectors, services
from bagalau.orgs.access import bodies_for, roles_for
from bagalau.orgs.models import AbsenceKind
from bagalau.orgs.reporting import OrgSnapshot

router = Router(tags=["organisation"])


class BodyOut(Schema):
    id: int
    name_kk: str
    name_ru: str
    roles: list[str]


class CurrentUserOut(Schema):
    username: str
    current_body: int | None
    bodies: list[BodyOut]


@router.get("/me", response={200: CurrentUserOut, **ERRORS})
def me(request: HttpRequest) -> CurrentUserOut:
    body = getattr(request, "state_body", None)
    return CurrentUserOut(
        username=request.user.get_username(),
        current_body=body.pk if body else None,
        bodies=[BodyOut(id=b.pk, name_kk=b.name_kk, name_ru=b.name_ru, roles=sorted(roles_for(request.user, b)))
                for b in bodies_for(request.user)],
    )


class ServantOut(Schema):
    id: int
    full_name: str
    position_code: str | None
    position_title_kk: str | None
    position_title_ru: str | None
    unit_code: str | None
    category: str | None
    is_head_of_unit: bool | None


class ServantPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ServantOut]


class ServantFilter(Schema):
    search: SafeText = Field("", max_length=100)
    limit: int = Field(25, ge=1, le=200)
    offset: Offset = 0


def _servant_out(s) -> ServantOut:  # type: ignore[no-untyped-def]
    current = s.current_appointments[0] if s.current_appointments else None
    p = current.position if current else None
    return ServantOut(
        id=s.pk, full_name=s.full_name,
        position_code=p.code if p else None, position_title_kk=p.title_kk if p else None,
        position_title_ru=p.title_ru if p else None, unit_code=p.unit.code if p else None,
        category=p.category if p else None, is_head_of_unit=p.is_head_of_unit if p else None,
    )


@router.get("/servants", response={200: ServantPage, **ERRORS})
def list_servants(request: HttpRequest, filters: Query[ServantFilter]) -> ServantPage:
    qs = selectors.servants(request.user, body_of(request)).order_by("last_name", "first_name", "pk")
    if filters.search:
        words = filters.search.split()
        for w in words:
            qs = qs.filter(Q(last_name__icontains=w) | Q(first_name__icontains=w) | Q(middle_name__icontains=w))
    count = qs.count()
    page = qs[filters.offset: filters.offset + filters.limit]
    return ServantPage(count=count, limit=filters.limit, offset=filters.offset, items=[_servant_out(s) for s in page])


class ReportingLineOut(Schema):
    servant_id: int
    direct_manager_id: int | None
    direct_manager: str | None
    superior_manager_id: int | None
    superior_manager: str | None
    first_head_id: int | None
    direct_source: str
    superior_source: str
    clause: str


@router.get("/servants/{servant_id}/reporting-line", response={200: ReportingLineOut, **ERRORS})
def servant_reporting_line(request: HttpRequest, servant_id: int, on: dt.date | None = None) -> ReportingLineOut:
    body = body_of(request)
    servant = selectors.servant(request.user, body, servant_id)
    line = OrgSnapshot(body, on or timezone.localdate()).line(servant)
    return ReportingLineOut(
        servant_id=servant.pk,
        direct_manager_id=line.direct_manager.pk if line.direct_manager else None,
        direct_manager=line.direct_manager.full_name if line.direct_manager else None,
        superior_manager_id=line.superior_manager.pk if line.superior_manager else None,
        superior_manager=line.superior_manager.full_name if line.superior_manager else None,
        first_head_id=line.first_head.pk if line.first_head else None,
        direct_source=line.direct_source, superior_source=line.superior_source, clause=line.clause,
    )


@router.post("/servants/{int:servant_id}/personal-data-export", response={200: None, **ERRORS},
             summary="Everything held about one servant, as a ZIP (HR; audited)")
def export_personal_data(request: HttpRequest, servant_id: int) -> HttpResponse:
    # A POST, not a GET: each export is recorded in the audit trail, so a link followed from
    # another site (no CSRF token) must not be able to start one.
    servant, data, _manifest = export_servant(request.user, body_of(request), servant_id)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{servant.iin}.zip"'
    response["Cache-Control"] = "no-store"
    return response


class AbsenceIn(Schema):
    servant_id: int
    kind: AbsenceKind
    start: IsoDate
    end: IsoDate
    note: SafeText = Field("", max_length=300)


class AbsenceOut(Schema):
    id: int
    servant_id: int
    kind: str
    start: dt.date
    end: dt.date


@router.post("/absences", response={201: AbsenceOut, **ERRORS})
def create_absence(request: HttpRequest, payload: AbsenceIn) -> Status[AbsenceOut]:
    body = body_of(request)
    servant = selectors.servant(request.user, body, payload.servant_id)
    absence = services.record_absence(actor=request.user, body=body, servant=servant, kind=payload.kind,
                                      start=payload.start, end=payload.end, note=payload.note)
    return Status(201, AbsenceOut(id=absence.pk, servant_id=servant.pk, kind=absence.kind, start=absence.start,
                                  end=absence.end))
