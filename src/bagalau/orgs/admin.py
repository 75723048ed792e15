"""The HR back office: the organisation data in the Django admin, tenant by tenant.

Why it is not the stock admin:

* **Tenants.** A superuser sees every body. Any other staff user sees and edits only the bodies
  where `roles_for` gives him HR or ADMIN: querysets, foreign-key choices, list filters and the
  permission hooks all follow that one set, so another body's row is simply not found (the admin
  redirects to its index with "does not exist"), never shown. Django's model permissions are not
  used: the roles of `access.py` are the only source of who may do what.
* **Writes go through the services.** An addition calls the orgs service (`create_unit`,
  `appoint`, `record_absence`, `grant_role`...), so the role check, the validation and the audit
  event are the same as on every other door. The call happens while the form is validated, inside
  a savepoint: a `ValidationError` from the service lands on the form, next to the field it names,
  and nothing is written; when the form is valid the row and its event already exist, and the admin
  only logs and redirects. The admin wraps the whole POST in one transaction, so nothing escapes it.
* **Changes without a dedicated service** use `audited_update`: the same role check, then the
  changed fields saved and recorded as an "<model>.update" event (personal data such as the IIN is
  named, not copied, in the trail).
* **History is kept.** Appointments, absences, servants and bodies cannot be deleted here (end an
  appointment instead). Role grants are deleted through `revoke_role`; units, positions and
  reporting overrides through `audited_delete`. Bulk actions are off: each deletion is one audited
  call.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.orgs import services
from bagalau.orgs.access import STAFF_EDITORS, has_role, require_role
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

User = get_user_model()

admin.site.site_header = gettext_lazy("Bagalau: HR back office")
admin.site.site_title = gettext_lazy("Bagalau back office")
admin.site.index_title = gettext_lazy("Organisation data")


# --- who may edit which body ---------------------------------------------------------------------

def editable_body_ids(request: HttpRequest) -> frozenset[int] | None:
    """The bodies whose organisation data this admin user may see and edit; None means all (a
    superuser). Computed once per request."""
    cached = getattr(request, "_bagalau_admin_bodies", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    user = request.user
    ids: frozenset[int] | None
    if not (user.is_active and user.is_staff):
        ids = frozenset()
    elif user.is_superuser:
        ids = None
    else:
        # Candidates from the grants (one query), each confirmed by roles_for, the one source of roles.
        grants = RoleGrant.objects.filter(user=user, role__in=STAFF_EDITORS)
        candidates = set(grants.values_list("body_id", flat=True))
        ids = frozenset(pk for pk in candidates if has_role(user, pk, STAFF_EDITORS))
    request._bagalau_admin_bodies = ids  # type: ignore[attr-defined]
    return ids


def body_id_of(obj: models.Model) -> int | None:
    return obj.pk if isinstance(obj, StateBody) else obj.body_id  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> AbstractBaseUser:
    """The acting user: admin views only run for an authenticated, active staff user
    (AdminSite.has_permission), so this is never the anonymous user."""
    return request.user  # type: ignore[return-value]


def _lang() -> str:
    return (get_language() or "kk").split("-")[0]


def _has_body(model: type[models.Model]) -> bool:
    return any(f.name == "body" and f.is_relation for f in model._meta.get_fields())


# --- the audited paths for rows without a dedicated service --------------------------------------

def _loggable(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    return getattr(obj, getattr(field, "attname", name))


def audited_update(*, actor: Any, obj: models.Model, fields: list[str], action: str,
                   private: frozenset[str] = frozenset()) -> models.Model:
    """Save `fields` of an existing row and record "<model>.update" with what changed, in the
    caller's transaction, after the same role check the services make."""
    body_id = body_id_of(obj)
    role = require_role(actor, body_id, STAFF_EDITORS,  # type: ignore[arg-type]
                        action=_("change %(what)s") % {"what": obj._meta.verbose_name})
    if not fields:
        return obj
    obj.save(update_fields=fields)
    record_event(action=action, obj=obj, actor=actor, role=role, body_id=body_id,
                 payload={"changed": sorted(fields),
                          "values": {f: _loggable(obj, f) for f in sorted(fields) if f not in private}})
    return obj


def audited_delete(*, actor: Any, obj: models.Model, action: str) -> None:
    body_id = body_id_of(obj)
    role = require_role(actor, body_id, STAFF_EDITORS,  # type: ignore[arg-type]
                        action=_("delete %(what)s") % {"what": obj._meta.verbose_name})
    record_event(action=action, obj=obj, actor=actor, role=role, body_id=body_id, from_state="active",
                 to_state="deleted", payload={"was": str(obj)})
    obj.delete()


# --- the form: validation is the service call ----------------------------------------------------

# Django's text for a violated database constraint only names the constraint; these say the rule.
CONSTRAINT_MESSAGES = {
    "one_head_position_per_unit": ("is_head_of_unit", gettext_lazy("This unit already has a head position.")),
    "appointment_end_after_start": ("end", gettext_lazy("The end date is before the start date.")),
    "absence_end_after_start": ("end", gettext_lazy("The end date is before the start date.")),
}


class ServiceForm(forms.ModelForm):
    """A model form whose successful validation *is* the write: see the module docstring."""

    request: HttpRequest | None = None  # set per request by TenantAdmin.get_form
    model_admin: TenantAdmin | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saved: models.Model | None = None
        body_id = None if self.instance._state.adding else body_id_of(self.instance)
        if body_id is not None:
            # An existing row can only point at rows of its own body.
            for field in self.fields.values():
                qs = getattr(field, "queryset", None)
                if qs is not None and _has_body(qs.model):
                    field.queryset = qs.filter(body_id=body_id)  # type: ignore[attr-defined]

    def form_body_id(self) -> int | None:
        if not self.instance._state.adding:
            return body_id_of(self.instance)
        body = self.cleaned_data.get("body")
        return body.pk if isinstance(body, StateBody) else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        body_id = self.form_body_id()
        if body_id is not None:
            for name, value in list(cleaned.items()):
                if isinstance(value, models.Model) and getattr(value, "body_id", body_id) != body_id:
                    self.add_error(name, _("This record belongs to another state body."))
        if self.model_admin is not None and not self.errors:
            self.model_admin.check_form(self)
        return cleaned

    def validate_constraints(self) -> None:
        """Model.validate_constraints, except that a violated constraint listed in
        CONSTRAINT_MESSAGES says its rule, on its field."""
        using = router.db_for_write(self.instance.__class__, instance=self.instance)
        exclude = self._get_validation_exclusions()  # type: ignore[attr-defined]
        errors: dict[str, list[Any]] = {}
        for model_class, constraints in self.instance.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self.instance, exclude=exclude, using=using)
                except ValidationError as exc:
                    nice = CONSTRAINT_MESSAGES.get(constraint.name)
                    if nice is not None:
                        target = nice[0] if nice[0] in self.fields else NON_FIELD_ERRORS
                        errors.setdefault(target, []).append(ValidationError(nice[1], code=constraint.name))
                    elif getattr(exc, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                        errors.setdefault(constraint.fields[0], []).append(exc)
                    else:
                        errors = exc.update_error_dict(errors)
        if errors:
            self._update_errors(ValidationError(errors))  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.errors or self.model_admin is None or self.request is None:
            return
        try:
            with transaction.atomic():
                if self.instance._state.adding:
                    self.saved = self.model_admin.create(self.request, self.cleaned_data)
                else:
                    self.saved = self.model_admin.update(self.request, self.instance, self)
        except ValidationError as exc:
            self.saved = None
            self._add_service_errors(exc)

    def _add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


# --- list filters ----------------------------------------------------------------------------------

class BodyListFilter(admin.SimpleListFilter):
    """Only the bodies the user may edit: the stock related filter would list every body."""

    title = gettext_lazy("state body")
    parameter_name = "body"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        ids = editable_body_ids(request)
        bodies = StateBody.objects.order_by("name_kk")
        if ids is not None:
            bodies = bodies.filter(pk__in=ids)
        return [(str(b.pk), b.name(_lang())) for b in bodies]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        return queryset.filter(body_id=self.value())


class CurrentAppointmentFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "current"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("In post today")), ("no", _("Ended"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        current = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))
        if self.value() == "yes":
            return queryset.filter(current)
        if self.value() == "no":
            return queryset.exclude(current)
        return queryset


# --- the tenant-aware base -------------------------------------------------------------------------

class TenantAdmin(admin.ModelAdmin):
    """Tenant scoping, role-based permissions and service-backed writes for one orgs model."""

    form = ServiceForm
    actions = None  # no bulk delete: each deletion is one audited call
    save_as = False
    allow_delete = False
    audit_name = ""  # "orgs.<audit_name>.update" / ".delete", matching the services' action names
    private_fields: frozenset[str] = frozenset()
    readonly_on_change: tuple[str, ...] = ("body",)

    # permissions: the body's roles, not Django's model permissions
    def _may(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        ids = editable_body_ids(request)
        if ids is None:
            return True
        if obj is None:
            return bool(ids)
        return body_id_of(obj) in ids

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.allow_delete and self._may(request, obj)

    # scoping
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        ids = editable_body_ids(request)
        if ids is None:
            return qs
        return qs.filter(pk__in=ids) if self.model is StateBody else qs.filter(body_id__in=ids)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        ids = editable_body_ids(request)
        related = db_field.related_model
        if ids is not None:
            if related is StateBody:
                kwargs["queryset"] = StateBody.objects.filter(pk__in=ids)
            elif _has_body(related):
                kwargs["queryset"] = related._default_manager.filter(body_id__in=ids)
            elif related is User:
                # Only people already known to these bodies: HR never browses every login.
                kwargs["queryset"] = User.objects.filter(
                    Q(role_grants__body_id__in=ids) | Q(servant__body_id__in=ids)).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        ids = editable_body_ids(request)
        if ids is not None and len(ids) == 1 and "body" not in initial and self.model is not StateBody:
            initial["body"] = str(next(iter(ids)))
        return initial

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + self.readonly_on_change if obj is not None else readonly

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        # modelform_factory made a new class for this call: safe to bind the request to it.
        form_class.request = request  # type: ignore[attr-defined]
        form_class.model_admin = self  # type: ignore[attr-defined]
        return form_class

    # writes: the form has already called the service (see ServiceForm._post_clean)
    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        return form.saved

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Nothing left to do: the service call in the form's validation wrote the row."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """No inlines and no many-to-many fields on the orgs models."""

    def check_form(self, form: ServiceForm) -> None:
        """Model-specific checks that need the whole form (add errors with form.add_error)."""

    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update(self, request: HttpRequest, obj: Any, form: ServiceForm) -> models.Model:
        return audited_update(actor=_actor(request), obj=obj, fields=list(form.changed_data),
                              action=f"orgs.{self.audit_name}.update", private=self.private_fields)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audited_delete(actor=_actor(request), obj=obj, action=f"orgs.{self.audit_name}.delete")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    # columns shared by the lists
    @admin.display(description=gettext_lazy("state body"), ordering="body__name_kk")
    def body_name(self, obj: Any) -> str:
        return obj.body.name(_lang())


# --- the models ------------------------------------------------------------------------------------

@admin.register(StateBody)
class StateBodyAdmin(TenantAdmin):
    audit_name = "body"
    readonly_on_change = ()
    list_display = ("display_name", "bin", "body_type", "first_head", "authorized_person")
    list_select_related = ("first_head", "authorized_person")
    list_filter = ("body_type",)
    search_fields = ("name_kk", "name_ru", "bin")

    @admin.display(description=gettext_lazy("name"), ordering="name_kk")
    def display_name(self, obj: StateBody) -> str:
        return obj.name(_lang())

    def has_add_permission(self, request: HttpRequest) -> bool:
        # create_body: only a system administrator; no body exists yet to hold a role in.
        return request.user.is_active and request.user.is_staff and request.user.is_superuser

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["name_kk", "name_ru", "bin", "body_type"]
        return fields if obj is None else [*fields, "first_head", "authorized_person"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and not request.user.is_superuser:
            return ("name_kk", "name_ru", "bin", "body_type")
        return ()

    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        return services.create_body(actor=_actor(request), name_kk=data["name_kk"], name_ru=data["name_ru"],
                                    bin=data["bin"], body_type=data["body_type"])

    def update(self, request: HttpRequest, obj: StateBody, form: ServiceForm) -> models.Model:
        heads = {"first_head", "authorized_person"}
        rest = [f for f in form.changed_data if f not in heads]
        audited_update(actor=_actor(request), obj=obj, fields=rest, action="orgs.body.update")
        if heads & set(form.changed_data):
            services.set_body_heads(actor=_actor(request), body=obj, first_head=form.cleaned_data.get("first_head"),
                                    authorized_person=form.cleaned_data.get("authorized_person"))
        return obj


@admin.register(StructuralUnit)
class StructuralUnitAdmin(TenantAdmin):
    audit_name = "unit"
    allow_delete = True
    fields = ("body", "parent", "code", "name_kk", "name_ru")
    list_display = ("code", "display_name", "parent", "body_name")
    list_select_related = ("parent", "body")
    list_filter = (BodyListFilter,)
    search_fields = ("code", "name_kk", "name_ru")

    @admin.display(description=gettext_lazy("name"), ordering="name_kk")
    def display_name(self, obj: StructuralUnit) -> str:
        return obj.name(_lang())

    def check_form(self, form: ServiceForm) -> None:
        parent = form.cleaned_data.get("parent")
        seen = set()
        while parent is not None and not form.instance._state.adding and parent.pk not in seen:
            if parent.pk == form.instance.pk:
                form.add_error("parent", _("A unit cannot be placed inside itself or its own sub-unit."))
                return
            seen.add(parent.pk)
            parent = parent.parent

    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        return services.create_unit(actor=_actor(request), body=data["body"], code=data["code"],
                                    name_kk=data["name_kk"], name_ru=data["name_ru"], parent=data.get("parent"))


@admin.register(Position)
class PositionAdmin(TenantAdmin):
    audit_name = "position"
    allow_delete = True
    fields = ("body", "unit", "code", "title_kk", "title_ru", "category", "is_head_of_unit")
    list_display = ("code", "display_title", "category", "is_head_of_unit", "unit", "body_name")
    list_select_related = ("unit", "body")
    list_filter = (BodyListFilter, "category", "is_head_of_unit")
    search_fields = ("code", "title_kk", "title_ru", "category")

    @admin.display(description=gettext_lazy("title"), ordering="title_kk")
    def display_title(self, obj: Position) -> str:
        return obj.title(_lang())

    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        return services.create_position(actor=_actor(request), body=data["body"], unit=data["unit"],
                                        code=data["code"], title_kk=data["title_kk"], title_ru=data["title_ru"],
                                        category=data["category"], is_head_of_unit=data["is_head_of_unit"])


@admin.register(Servant)
class ServantAdmin(TenantAdmin):
    audit_name = "servant"
    # Personal data: the audit trail names the changed field but does not copy its value.
    private_fields = frozenset({"iin", "email", "phone", "postal_address"})
    fields = ("body", "iin", "last_name", "first_name", "middle_name", "email", "phone", "postal_address",
              "user")
    list_display = ("full_name", "iin", "current_position", "login", "phone", "body_name")
    list_select_related = ("body", "user")
    list_filter = (BodyListFilter, ("user", admin.EmptyFieldListFilter))
    search_fields = ("last_name", "first_name", "middle_name", "iin", "email", "phone")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        today = timezone.localdate()
        current = (Appointment.objects.filter(start__lte=today).exclude(end__lt=today)
                   .select_related("position__unit"))
        return super().get_queryset(request).prefetch_related(
            Prefetch("appointments", queryset=current, to_attr="current_appointments"))

    @admin.display(description=gettext_lazy("full name"), ordering="last_name")
    def full_name(self, obj: Servant) -> str:
        return obj.full_name

    @admin.display(description=gettext_lazy("position today"))
    def current_position(self, obj: Servant) -> str:
        current = getattr(obj, "current_appointments", [])
        if not current:
            return "—"
        position = current[0].position
        return f"{position.title(_lang())} ({position.category}), {position.unit.name(_lang())}"

    @admin.display(description=gettext_lazy("login"), ordering="user__username")
    def login(self, obj: Servant) -> str:
        return obj.user.get_username() if obj.user else "—"

    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        servant = services.create_servant(
            actor=_actor(request), body=data["body"], iin=data["iin"], last_name=data["last_name"],
            first_name=data["first_name"], middle_name=data.get("middle_name", ""), email=data.get("email", ""),
            phone=data.get("phone", ""), postal_address=data.get("postal_address", ""))
        if data.get("user") is not None:
            services.link_user(actor=_actor(request), servant=servant, user=data["user"])
        return servant

    def update(self, request: HttpRequest, obj: Servant, form: ServiceForm) -> models.Model:
        new_user: Any = form.cleaned_data.get("user")
        linking = "user" in form.changed_data and new_user is not None
        rest = [f for f in form.changed_data if not (f == "user" and linking)]
        audited_update(actor=_actor(request), obj=obj, fields=rest, action="orgs.servant.update",
                       private=self.private_fields)
        if linking:
            services.link_user(actor=_actor(request), servant=obj, user=new_user)
        return obj


@admin.register(Appointment)
class AppointmentAdmin(TenantAdmin):
    audit_name = "appointment"
    fields = ("body", "servant", "position", "start", "end", "order_ref")
    list_display = ("servant", "position", "start", "end", "order_ref", "body_name")
    list_select_related = ("servant", "position", "body")
    list_filter = (BodyListFilter, CurrentAppointmentFilter)
    search_fields = ("servant__last_name", "servant__first_name", "position__code", "position__title_kk",
                     "position__title_ru", "order_ref")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        # History: who held what from when is fixed; an open appointment can be ended once.
        fixed = ("body", "servant", "position", "start")
        return fixed if obj.end is None else (*fixed, "end")

    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        return services.appoint(actor=_actor(request), body=data["body"], servant=data["servant"],
                                position=data["position"], start=data["start"], end=data.get("end"),
                                order_ref=data.get("order_ref", ""))

    def update(self, request: HttpRequest, obj: Appointment, form: ServiceForm) -> models.Model:
        rest = [f for f in form.changed_data if f != "end"]
        audited_update(actor=_actor(request), obj=obj, fields=rest, action="orgs.appointment.update")
        if "end" in form.changed_data and form.cleaned_data.get("end") is not None:
            return services.end_appointment(actor=_actor(request), appointment=obj, end=form.cleaned_data["end"])
        return obj


@admin.register(Absence)
class AbsenceAdmin(TenantAdmin):
    audit_name = "absence"
    fields = ("body", "servant", "kind", "start", "end", "note")
    readonly_on_change = ("body", "servant")
    list_display = ("servant", "kind", "start", "end", "note", "body_name")
    list_select_related = ("servant", "body")
    list_filter = (BodyListFilter, "kind")
    search_fields = ("servant__last_name", "servant__first_name", "note")

    def check_form(self, form: ServiceForm) -> None:
        """On a change, the overlap rule of record_absence (additions get it from the service)."""
        if form.instance._state.adding:
            return
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
        if start is None or end is None or end < start:
            return
        clash = (Absence.objects.filter(servant_id=form.instance.servant_id, start__lte=end, end__gte=start)
                 .exclude(pk=form.instance.pk).first())
        if clash is not None:
            form.add_error("start", _("Overlaps another absence of this servant: %(other)s.") % {
                "other": f"{clash.get_kind_display()} {clash.start:%d.%m.%Y}–{clash.end:%d.%m.%Y}"})

    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        return services.record_absence(actor=_actor(request), body=data["body"], servant=data["servant"],
                                       kind=data["kind"], start=data["start"], end=data["end"],
                                       note=data.get("note", ""))


@admin.register(ReportingOverride)
class ReportingOverrideAdmin(TenantAdmin):
    audit_name = "reporting_override"
    allow_delete = True
    fields = ("body", "servant", "relation", "manager", "reason")
    readonly_on_change = ("body", "servant", "relation")
    list_display = ("servant", "relation", "manager", "reason", "body_name")
    list_select_related = ("servant", "manager", "body")
    list_filter = (BodyListFilter, "relation")
    search_fields = ("servant__last_name", "manager__last_name", "reason")

    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        return services.set_reporting_override(actor=_actor(request), body=data["body"], servant=data["servant"],
                                               relation=data["relation"], manager=data["manager"],
                                               reason=data["reason"])

    def update(self, request: HttpRequest, obj: ReportingOverride, form: ServiceForm) -> models.Model:
        return services.set_reporting_override(actor=_actor(request), body=obj.body, servant=obj.servant,
                                               relation=obj.relation, manager=form.cleaned_data["manager"],
                                               reason=form.cleaned_data["reason"])


@admin.register(RoleGrant)
class RoleGrantAdmin(TenantAdmin):
    """Grants are added (grant_role) and deleted (revoke_role), never edited: a different role is
    a different grant."""

    audit_name = "role"
    allow_delete = True
    fields = ("body", "user", "role")
    list_display = ("user", "user_full_name", "role", "body_name")
    list_select_related = ("user", "body")
    list_filter = (BodyListFilter, "role")
    search_fields = ("user__username", "user__last_name", "user__first_name")

    @admin.display(description=gettext_lazy("name"), ordering="user__last_name")
    def user_full_name(self, obj: RoleGrant) -> str:
        return obj.user.get_full_name()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        return services.grant_role(actor=_actor(request), body=data["body"], user=data["user"], role=data["role"])

    def delete_model(self, request: HttpRequest, obj: RoleGrant) -> None:
        services.revoke_role(actor=_actor(request), body=obj.body, user=obj.user, role=obj.role)


# --- users: show their roles (superusers manage logins) ---------------------------------------------

class RoleGrantInline(admin.TabularInline):
    """Read-only here: grants change through the role grant pages, which call the services."""

    model = RoleGrant
    fields = ("body", "role")
    readonly_fields = ("body", "role")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class BagalauUserAdmin(UserAdmin):
    inlines = (RoleGrantInline,)
    list_display = (*UserAdmin.list_display, "roles")  # type: ignore[misc]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related(
            Prefetch("role_grants", queryset=RoleGrant.objects.select_related("body")))

    @admin.display(description=gettext_lazy("roles"))
    def roles(self, obj: Any) -> str:
        labels = [f"{Role(g.role).label} @ {g.body.name(_lang())}" for g in obj.role_grants.all()]
        if obj.is_superuser:
            labels.insert(0, str(Role.ADMIN.label))
        return "; ".join(labels) or "—"
