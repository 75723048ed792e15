"""The organisation model. Every row belongs to one state body (the tenant) through `body`, and
every query that serves a user filters by it (see selectors.py): one body never sees another's
data.

Dates are `valid from / to` pairs with an open end (`None`), inclusive on both sides, because
orders say "appointed from 05.12.2023" and "relieved from 31.05.2024".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bagalau.orgs.identifiers import validate_bin, validate_iin

category_validator = RegexValidator(
    r"^E(-[RG])?-[1-9][0-9]?$",
    _("Category code must look like E-3, E-R-4 or E-G-1 (register of positions, Decree No. 150)."),
    code="category",
)


class BodyType(models.TextChoices):
    DISTRICT_MASLIKHAT = "district_maslikhat", _("District maslikhat apparatus")
    CITY_MASLIKHAT = "city_maslikhat", _("City maslikhat apparatus")
    OBLAST_MASLIKHAT = "oblast_maslikhat", _("Oblast maslikhat apparatus")
    AKIMAT = "akimat", _("Akimat apparatus")
    CENTRAL_BODY = "central_body", _("Central state body")
    OTHER = "other", _("Other state body")


class StateBody(models.Model):
    """A state body: the tenant. Its first head and authorized person are servants of it."""

    name_kk = models.CharField(_("name (kk)"), max_length=300)
    name_ru = models.CharField(_("name (ru)"), max_length=300)
    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[validate_bin])
    body_type = models.CharField(_("type"), max_length=40, choices=BodyType.choices)
    first_head = models.ForeignKey(
        "Servant", verbose_name=_("first head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    authorized_person = models.ForeignKey(
        "Servant", verbose_name=_("authorized person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The official entitled to appoint and dismiss Corps B servants (S0-p.5)."),
    )

    class Meta:
        verbose_name = _("state body")
        verbose_name_plural = _("state bodies")
        ordering = ["name_kk"]

    def __str__(self) -> str:
        return self.name_kk

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_kk


class StructuralUnit(models.Model):
    """A unit of the body (department, sector). Units form a tree; a top unit has no parent."""

    body = models.ForeignKey(StateBody, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    code = models.CharField(_("code"), max_length=40)
    name_kk = models.CharField(_("name (kk)"), max_length=300)
    name_ru = models.CharField(_("name (ru)"), max_length=300)

    class Meta:
        verbose_name = _("structural unit")
        verbose_name_plural = _("structural units")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="unit_code_unique_in_body")]

    def __str__(self) -> str:
        return self.name_kk

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_kk


class Position(models.Model):
    """A staff position. `is_head_of_unit` is a flag, not derived from the category: E-3 is both a
    head and a specialist category in Annex 4 (S0-Annex 4)."""

    body = models.ForeignKey(StateBody, on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(StructuralUnit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="positions")
    code = models.CharField(_("code"), max_length=40)
    title_kk = models.CharField(_("title (kk)"), max_length=300)
    title_ru = models.CharField(_("title (ru)"), max_length=300)
    category = models.CharField(_("category"), max_length=10, validators=[category_validator])
    is_head_of_unit = models.BooleanField(_("head of the structural unit"), default=False)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="position_code_unique_in_body"),
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(is_head_of_unit=True), name="one_head_position_per_unit",
                violation_error_message=_("This unit already has a head position."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_kk} ({self.category})"

    def title(self, lang: str) -> str:
        return self.title_ru if lang == "ru" else self.title_kk


class Servant(models.Model):
    """A Corps B administrative civil servant of the body (also the first head, who is a servant)."""

    body = models.ForeignKey(StateBody, on_delete=models.CASCADE, related_name="servants")
    iin = models.CharField(_("IIN"), max_length=12, validators=[validate_iin])
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="servant", verbose_name=_("login"),
    )

    class Meta:
        verbose_name = _("servant")
        verbose_name_plural = _("servants")
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(fields=["body", "iin"], name="servant_iin_unique_in_body")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class Appointment(models.Model):
    """A servant holding a position from a date to a date (open end while in post). Kept as
    history: ending an appointment sets `end`, nothing is deleted."""

    body = models.ForeignKey(StateBody, on_delete=models.CASCADE, related_name="appointments")
    servant = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="appointments")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    order_ref = models.CharField(_("order reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="appointment_end_after_start",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.servant} → {self.position} ({self.start}–{self.end or '…'})"

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class AbsenceKind(models.TextChoices):
    # The kinds S1-p.6 names: the servant is then evaluated without participation.
    ANNUAL_LEAVE = "annual_leave", _("Annual (labour) leave")
    SOCIAL_LEAVE = "social_leave", _("Social leave")
    SICK_LEAVE = "sick_leave", _("Temporary incapacity (sick leave)")
    BUSINESS_TRIP = "business_trip", _("Business trip")
    TRAINING = "training", _("Internship, retraining or professional development")


class Absence(models.Model):
    body = models.ForeignKey(StateBody, on_delete=models.CASCADE, related_name="absences")
    servant = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField(_("kind"), max_length=20, choices=AbsenceKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="absence_end_after_start",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.servant}: {self.get_kind_display()} {self.start}–{self.end}"


class ReportingRelation(models.TextChoices):
    DIRECT_MANAGER = "direct_manager", _("Direct manager")
    SUPERIOR_MANAGER = "superior_manager", _("Superior manager")


class ReportingOverride(models.Model):
    """An explicit reporting line where the unit tree does not give the right one (a head of
    apparatus evaluating the first head's direct reports, an acting head...)."""

    body = models.ForeignKey(StateBody, on_delete=models.CASCADE, related_name="reporting_overrides")
    servant = models.ForeignKey(Servant, on_delete=models.CASCADE, related_name="reporting_overrides")
    relation = models.CharField(_("relation"), max_length=20, choices=ReportingRelation.choices)
    manager = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("manager"))
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("reporting line override")
        verbose_name_plural = _("reporting line overrides")
        constraints = [
            models.UniqueConstraint(fields=["servant", "relation"], name="one_override_per_relation")
        ]

    def __str__(self) -> str:
        return f"{self.servant}: {self.get_relation_display()} = {self.manager}"


class Role(models.TextChoices):
    """Roles of DESIGN.md section 1. SERVANT and MANAGER are also derived (a linked servant, a head
    position); the others are granted per body."""

    SERVANT = "servant", _("Servant")
    MANAGER = "manager", _("Manager")
    HR = "hr", _("HR service")
    COMMISSION_MEMBER = "commission", _("Commission member")
    AUTHORIZED_PERSON = "authorized", _("Authorized person (first head)")
    APPEAL_REVIEWER = "appeal_reviewer", _("Appeal reviewer")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("System administrator")


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    body = models.ForeignKey(StateBody, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "body", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.body}"
