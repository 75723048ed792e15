"""Everything the system holds about one servant, as a ZIP: the subject's right of access under
the personal-data law.

What is "about" the servant is found from the data model itself, so records added by later apps
are included without a change here:
* rows pointing at the servant through a subject field (`servant`, `subject_servant`,
  `recipient_servant`) or at the servant's login through `user`/`recipient`: appointments,
  absences, participations, signatures, familiarizations, appeals, work items, notifications;
* then, up to `DEPTH` steps, rows pointing at those (plan -> KPIs, sheet -> outcomes and evidence,
  result -> familiarization -> refusal act...), never through a field naming another person;
* the audit events about any of these rows, and those the servant's login performed;
* the files those rows hold.
Left out on purpose: the second-factor secret and recovery code digests (credentials, not data
about the person), the password hash, and who rated the servant in a 360 survey (the raters'
anonymity is the method's own rule).
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.accounts import clock
from bagalau.accounts.safety.serial import ExactEncoder, sha256_bytes
from bagalau.audit.models import AuditEvent
from bagalau.audit.services import object_key, record_event
from bagalau.orgs.access import require_role
from bagalau.orgs.identifiers import validate_iin
from bagalau.orgs.models import Role, Servant, StateBody

DEPTH = 4
SUBJECT_SERVANT_FIELDS = frozenset({"servant", "subject_servant", "recipient_servant"})
SUBJECT_USER_FIELDS = frozenset({"user", "recipient"})
NEVER_EXPORTED = frozenset({"accounts.twofactordevice", "accounts.recoverycode", "accounts.loginfailure",
                            "survey360.raterassignment", "audit.auditevent", "audit.audithead",
                            "sessions.session"})
EXPORT_ROLES = (Role.HR,)
USER_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "date_joined", "last_login"]
ACTION = "personal_data.exported"


def _project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models()
            if m.__module__.startswith("bagalau.") and m._meta.label_lower not in NEVER_EXPORTED]


def _fks(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def collect(servant: Servant) -> dict[type[models.Model], dict[Any, models.Model]]:
    """The rows about `servant`, by model."""
    found: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
    found[Servant][servant.pk] = servant
    User = get_user_model()
    frontier: dict[type[models.Model], set[Any]] = defaultdict(set)
    for model in _project_models():
        for fk in _fks(model):
            value = None
            if fk.related_model is Servant and fk.name in SUBJECT_SERVANT_FIELDS:
                value = servant.pk
            elif fk.related_model is User and fk.name in SUBJECT_USER_FIELDS and servant.user_id:
                value = servant.user_id
            if value is not None:
                for row in model._base_manager.filter(**{fk.name: value}):
                    if row.pk not in found[model]:
                        found[model][row.pk] = row
                        frontier[model].add(row.pk)
    for _step in range(DEPTH):
        following: dict[type[models.Model], set[Any]] = defaultdict(set)
        for model in _project_models():
            for fk in _fks(model):
                target = fk.related_model
                if target in (Servant, User, StateBody) or not frontier.get(target):
                    continue
                for row in model._base_manager.filter(**{f"{fk.name}__in": frontier[target]}):
                    if row.pk not in found[model]:
                        found[model][row.pk] = row
                        following[model].add(row.pk)
        frontier = following
        if not frontier:
            break
    return found


def _audit_events(servant: Servant, found: dict[type[models.Model], dict[Any, models.Model]]) -> list[AuditEvent]:
    about = Q()
    for model, rows in found.items():
        about |= Q(object_type=f"{model._meta.app_label}.{model._meta.model_name}",
                   object_id__in=[str(pk) for pk in rows])
    if servant.user_id:
        about |= Q(actor_id=servant.user_id) | Q(object_type="auth.user", object_id=str(servant.user_id))
    return list(AuditEvent.objects.filter(about).order_by("id"))


def build_archive(servant: Servant, *, generated_by: str) -> tuple[bytes, dict[str, Any]]:
    found = collect(servant)
    buffer = io.BytesIO()
    manifest: dict[str, Any] = {
        "subject": {"servant_id": servant.pk, "iin": servant.iin, "body_id": servant.body_id,
                    "name": servant.full_name},
        "generated_at": clock.now().isoformat(), "generated_by": generated_by, "entries": []}
    media = Path(settings.MEDIA_ROOT)

    def put(archive: ZipFile, name: str, data: bytes, rows: int | None = None) -> None:
        archive.writestr(name, data)
        manifest["entries"].append({"file": name, "sha256": sha256_bytes(data), "rows": rows})

    with ZipFile(buffer, "w", compression=ZIP_DEFLATED) as archive:
        for model in sorted(found, key=lambda m: m._meta.label):
            rows = sorted(found[model].values(), key=lambda r: r.pk)
            data = serializers.serialize("json", rows, cls=ExactEncoder, indent=1).encode()
            put(archive, f"data/{model._meta.label}.json", data, len(rows))
            for row in rows:
                for field in row._meta.concrete_fields:
                    name = getattr(row, field.attname).name if isinstance(field, models.FileField) else ""
                    if name and (media / name).is_file():
                        put(archive, f"files/{name}", (media / name).read_bytes())
        if servant.user_id:
            user = get_user_model()._base_manager.filter(pk=servant.user_id)
            data = serializers.serialize("json", user, fields=USER_FIELDS, cls=ExactEncoder, indent=1).encode()
            put(archive, "data/auth.User.json", data, 1)
        events = _audit_events(servant, found)
        data = serializers.serialize("json", events, cls=ExactEncoder, indent=1).encode()
        put(archive, "data/audit.AuditEvent.json", data, len(events))
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return buffer.getvalue(), manifest


def find_servant(body: StateBody, key: str) -> Servant:
    """The servant of `body` with this IIN (12 digits) or id; never one of another body."""
    key = (key or "").strip()
    if len(key) == 12 and key.isdigit():
        try:
            validate_iin(key)
        except ValidationError:
            raise ValidationError(
                {"servant": _("Field “servant”: %(iin)s is not a valid IIN.") % {"iin": key}}) from None
        servant = Servant.objects.filter(body=body, iin=key).first()
    elif key.isascii() and key.isdigit():
        servant = Servant.objects.filter(body=body, pk=int(key)).first()
    else:
        raise ValidationError({"servant": _("Field “servant”: enter the servant's IIN (12 digits).")})
    if servant is None:
        raise ValidationError({"servant": _("Field “servant”: no servant of this state body has this IIN or id.")})
    return servant


def require_export_role(actor: Any, body: StateBody) -> str:
    return require_role(actor, body, EXPORT_ROLES, action=_("export a servant's personal data"))


def export_servant(actor: Any, body: StateBody, servant_id: int) -> tuple[Servant, bytes, dict[str, Any]]:
    """The export of the servant with this id, by HR of `body` (the API's door, the same export and
    audit event as the page's and the command's). The role is checked before the id is looked up,
    so a refusal tells nothing of the id; another body's servant is not found (404)."""
    require_export_role(actor, body)
    servant = Servant.objects.filter(body=body, pk=servant_id).first()
    if servant is None:
        raise Http404(_("No such servant in this state body."))
    data, manifest = export_personal_data(actor, body, servant)
    return servant, data, manifest


def export_personal_data(actor: Any, body: StateBody, servant: Servant) -> tuple[bytes, dict[str, Any]]:
    """HR's export of one servant of their own body (a command passes actor=None: the system).
    Audited: who exported whose data, when, and the archive's hash."""
    role = "system"
    if actor is not None:
        role = require_export_role(actor, body)
    if servant.body_id != body.pk:
        raise ValidationError({"servant": _("Field “servant”: no servant of this state body has this IIN or id.")})
    label = actor.get_username() if actor is not None else "system"
    data, manifest = build_archive(servant, generated_by=label)
    with transaction.atomic():
        object_type, object_id = object_key(servant)
        record_event(action=ACTION, object_type=object_type, object_id=object_id, actor=actor, role=role,
                     body_id=body.pk, payload={"sha256": sha256_bytes(data), "entries": len(manifest["entries"])})
    return data, manifest
