"""Writes to the organisation model. Each function checks the actor's role in the body, validates
everything before writing, writes in one transaction and records an audit event in it.

Validation errors are `ValidationError({field: message})`, so a form, the import report and the API
can all say which field broke which rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.orgs.access import STAFF_EDITORS, Actor, forget_roles, require_role
from bagalau.orgs.models import (
    Absence,
    Appointment,
    Position,
    ReportingOverride,
    Role,
    RoleGrant,
    Servant,
    StateBody,
    StructuralUnit,
)


def _audited_create(obj: models.Model, *, actor: Actor, role: str, body: StateBody,
                    action: str, payload: dict[str, Any] | None = None) -> None:
    obj.full_clean()
    obj.save()
    record_event(action=action, obj=obj, actor=actor, role=role, body_id=body.pk,
                 to_state="active", payload=payload or {})


def _ensure_same_body(body: StateBody, **objs: models.Model | None) -> None:
    """Refuse references into another body: a unit, position or servant of body A can never be
    used from body B, even by someone who knows its id."""
    for field, obj in objs.items():
        if obj is not None and getattr(obj, "body_id", None) != body.pk:
            raise ValidationError({field: _("This record belongs to another state body.")})


def _overlaps(qs: models.QuerySet, start: dt.date, end: dt.date | None) -> models.QuerySet:
    """Rows of qs whose [start, end] (open end = forever) intersects [start, end]."""
    qs = qs.filter(models.Q(end__isnull=True) | models.Q(end__gte=start))
    if end is not None:
        qs = qs.filter(start__lte=end)
    return qs


@transaction.atomic
def create_unit(*, actor: Actor, body: StateBody, code: str, name_kk: str, name_ru: str,
                parent: StructuralUnit | None = None) -> StructuralUnit:
    role = require_role(actor, body, STAFF_EDITORS, action=_("create a structural unit"))
    _ensure_same_body(body, parent=parent)
    unit = StructuralUnit(body=body, code=code, name_kk=name_kk, name_ru=name_ru, parent=parent)
    _audited_create(unit, actor=actor, role=role, body=body, action="orgs.unit.create",
                    payload={"code": code, "parent": parent.code if parent else None})
    return unit


@transaction.atomic
def create_position(*, actor: Actor, body: StateBody, unit: StructuralUnit, code: str,
                    title_kk: str, title_ru: str, category: str, is_head_of_unit: bool) -> Position:
    role = require_role(actor, body, STAFF_EDITORS, action=_("create a position"))
    _ensure_same_body(body, unit=unit)
    if is_head_of_unit and Position.objects.filter(unit=unit, is_head_of_unit=True).exists():
        raise ValidationError({"is_head_of_unit": _("This unit already has a head position.")})
    position = Position(body=body, unit=unit, code=code, title_kk=title_kk, title_ru=title_ru,
                        category=category, is_head_of_unit=is_head_of_unit)
    _audited_create(position, actor=actor, role=role, body=body, action="orgs.position.create",
                    payload={"code": code, "category": category, "head": is_head_of_unit})
    return position


@transaction.atomic
def create_servant(*, actor: Actor, body: StateBody, iin: str, last_name: str,
                   first_name: str, middle_name: str = "", email: str = "", phone: str = "",
                   postal_address: str = "") -> Servant:
    role = require_role(actor, body, STAFF_EDITORS, action=_("register a servant"))
    if Servant.objects.filter(body=body, iin=iin).exists():
        raise ValidationError({"iin": _("A servant with this IIN is already registered in this body.")})
    servant = Servant(body=body, iin=iin, last_name=last_name, first_name=first_name,
                      middle_name=middle_name, email=email, phone=phone, postal_address=postal_address)
    # The IIN is personal data: the audit payload keeps only its last four digits.
    _audited_create(servant, actor=actor, role=role, body=body, action="orgs.servant.create",
                    payload={"iin_tail": iin[-4:]})
    return servant


@transaction.atomic
def appoint(*, actor: Actor, body: StateBody, servant: Servant, position: Position,
            start: dt.date, end: dt.date | None = None, order_ref: str = "") -> Appointment:
    role = require_role(actor, body, STAFF_EDITORS, action=_("appoint a servant"))
    _ensure_same_body(body, servant=servant, position=position)
    if end is not None and end < start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    if _overlaps(Appointment.objects.filter(servant=servant), start, end).exists():
        raise ValidationError({"start": _("The servant already holds a position in these dates.")})
    if _overlaps(Appointment.objects.filter(position=position), start, end).exists():
        raise ValidationError({"position": _("The position is already held by someone in these dates.")})
    appointment = Appointment(body=body, servant=servant, position=position, start=start, end=end,
                              order_ref=order_ref)
    _audited_create(appointment, actor=actor, role=role, body=body, action="orgs.appointment.create",
                    payload={"servant": servant.pk, "position": position.code, "start": start, "end": end})
    return appointment


@transaction.atomic
def end_appointment(*, actor: Actor, appointment: Appointment, end: dt.date) -> Appointment:
    body = appointment.body
    role = require_role(actor, body, STAFF_EDITORS, action=_("end an appointment"))
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if end < appointment.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    if appointment.end is not None:
        raise ValidationError({"end": _("This appointment has already ended.")})
    appointment.end = end
    appointment.save(update_fields=["end"])
    record_event(action="orgs.appointment.end", obj=appointment, actor=actor, role=role, body_id=body.pk,
                 from_state="active", to_state="ended", payload={"end": end})
    return appointment


@transaction.atomic
def record_absence(*, actor: Actor, body: StateBody, servant: Servant, kind: str,
                   start: dt.date, end: dt.date, note: str = "") -> Absence:
    role = require_role(actor, body, STAFF_EDITORS, action=_("record an absence"))
    _ensure_same_body(body, servant=servant)
    if end < start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    clash = _overlaps(Absence.objects.filter(servant=servant), start, end).first()
    if clash is not None:
        raise ValidationError({"start": _("Overlaps another absence of this servant: %(other)s.")
                               % {"other": f"{clash.get_kind_display()} {clash.start:%d.%m.%Y}–{clash.end:%d.%m.%Y}"}})
    absence = Absence(body=body, servant=servant, kind=kind, start=start, end=end, note=note)
    _audited_create(absence, actor=actor, role=role, body=body, action="orgs.absence.create",
                    payload={"servant": servant.pk, "kind": kind, "start": start, "end": end})
    return absence


@transaction.atomic
def set_reporting_override(*, actor: Actor, body: StateBody, servant: Servant,
                           relation: str, manager: Servant, reason: str) -> ReportingOverride:
    role = require_role(actor, body, STAFF_EDITORS, action=_("override a reporting line"))
    _ensure_same_body(body, servant=servant, manager=manager)
    if servant.pk == manager.pk:
        raise ValidationError({"manager": _("A servant cannot be his own manager.")})
    existing = ReportingOverride.objects.select_for_update().filter(servant=servant, relation=relation).first()
    previous = existing.manager_id if existing else None
    override = existing or ReportingOverride(body=body, servant=servant, relation=relation)
    override.manager = manager
    override.reason = reason
    override.full_clean()
    override.save()
    record_event(action="orgs.reporting_override.set", obj=override, actor=actor, role=role, body_id=body.pk,
                 from_state="replaced" if existing else "", to_state="active",
                 payload={"servant": servant.pk, "relation": relation, "manager": manager.pk,
                          "previous_manager": previous, "reason": reason})
    return override


@transaction.atomic
def grant_role(*, actor: Actor, body: StateBody, user: AbstractBaseUser, role: str) -> RoleGrant:
    acting = require_role(actor, body, STAFF_EDITORS, action=_("grant a role"))
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    if role == Role.ADMIN and acting != Role.ADMIN:
        raise ValidationError({"role": _("Only a system administrator may grant the administrator role.")})
    grant, created = RoleGrant.objects.get_or_create(user_id=user.pk, body=body, role=role)
    if created:
        record_event(action="orgs.role.grant", obj=grant, actor=actor, role=acting, body_id=body.pk,
                     to_state=role, payload={"user": user.get_username(), "role": role})
        forget_roles(user)
    return grant


@transaction.atomic
def revoke_role(*, actor: Actor, body: StateBody, user: AbstractBaseUser, role: str) -> None:
    acting = require_role(actor, body, STAFF_EDITORS, action=_("revoke a role"))
    deleted, _detail = RoleGrant.objects.filter(user_id=user.pk, body=body, role=role).delete()
    if deleted:
        record_event(action="orgs.role.revoke", object_type="orgs.rolegrant", object_id=f"{user.pk}:{role}",
                     actor=actor, role=acting, body_id=body.pk, from_state=role,
                     payload={"user": user.get_username(), "role": role})
        forget_roles(user)


@transaction.atomic
def link_user(*, actor: Actor, servant: Servant, user: AbstractBaseUser) -> Servant:
    role = require_role(actor, servant.body, STAFF_EDITORS, action=_("link a login to a servant"))
    servant.user_id = user.pk
    servant.full_clean()
    servant.save(update_fields=["user"])
    record_event(action="orgs.servant.link_user", obj=servant, actor=actor, role=role, body_id=servant.body_id,
                 payload={"user": user.get_username()})
    forget_roles(user)
    return servant


@transaction.atomic
def set_body_heads(*, actor: Actor, body: StateBody, first_head: Servant | None,
                   authorized_person: Servant | None) -> StateBody:
    role = require_role(actor, body, STAFF_EDITORS, action=_("set the first head and authorized person"))
    _ensure_same_body(body, first_head=first_head, authorized_person=authorized_person)
    body.first_head = first_head
    body.authorized_person = authorized_person
    body.save(update_fields=["first_head", "authorized_person"])
    record_event(action="orgs.body.set_heads", obj=body, actor=actor, role=role, body_id=body.pk,
                 payload={"first_head": first_head.pk if first_head else None,
                          "authorized_person": authorized_person.pk if authorized_person else None})
    return body


@transaction.atomic
def create_body(*, actor: Actor, name_kk: str, name_ru: str, bin: str, body_type: str) -> StateBody:
    """Bodies are created by a system administrator (a superuser): no body exists yet to hold a role in."""
    if actor is None or not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only a system administrator may create a state body."))
    body = StateBody(name_kk=name_kk, name_ru=name_ru, bin=bin, body_type=body_type)
    body.full_clean()
    body.save()
    record_event(action="orgs.body.create", obj=body, actor=actor, role=Role.ADMIN, body_id=body.pk,
                 to_state="active", payload={"bin": bin, "type": body_type})
    return body
