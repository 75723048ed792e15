"""The lawbook: which methodology version each body adopted when, and the calendar corrections.

The law itself (versions, clauses, parameters) is data shipped with the code in
`bagalau.methodology.versions`; the database only records the body's choices and the working-day
changes the holidays package cannot know (next year's transfer decree, an extra day off).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bagalau.methodology.errors import VersionFileError
from bagalau.methodology.local import LocalParameterError, apply_local_parameters
from bagalau.methodology.versions import get_version, version_ids


def validate_version_id(value: str) -> None:
    """A version id must name a version file shipped with the code."""
    try:
        known = version_ids()
    except VersionFileError as exc:  # a broken file must be seen, not hidden behind "unknown id"
        raise ValidationError(str(exc)) from exc
    if value not in known:
        raise ValidationError(
            _("Unknown methodology version %(value)s; known: %(known)s"),
            params={"value": value, "known": ", ".join(known)},
            code="unknown_version",
        )


class CalendarOverride(models.Model):
    """A day whose working status differs from the holidays package, with the act that says so."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(
        _("working day"), help_text=_("On: an extra working day (e.g. a transferred Saturday). "
                                      "Off: an extra day off.")
    )
    legal_act = models.CharField(
        _("legal act"), max_length=300,
        help_text=_("The decree or order that set the change, e.g. its adilet number and date."),
    )
    note_kk = models.CharField(_("note (kk)"), max_length=300, blank=True)
    note_ru = models.CharField(_("note (ru)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("working day") if self.is_working else _("day off")
        return f"{self.date.isoformat()} {kind} ({self.legal_act})"

    def clean(self) -> None:
        if not (self.legal_act or "").strip():
            raise ValidationError({"legal_act": _("A calendar change needs the act that made it.")})


class MethodologyAdoption(models.Model):
    """A body's use of one methodology version over a period (inclusive; open end allowed)."""

    body = models.ForeignKey(
        "orgs.StateBody", verbose_name=_("state body"), on_delete=models.PROTECT,
        related_name="methodology_adoptions",
    )
    version_id = models.CharField(_("methodology version"), max_length=64, validators=[validate_version_id])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    local_parameters = models.JSONField(
        _("the body's own parameters"), default=dict, blank=True,
        help_text=_("Values the version leaves open (the ranking scale and quotas, the competency annex), "
                    "keyed by parameter name, each with its value, the clause and title of the body's own act, "
                    "and whether it is verified."),
    )

    class Meta:
        verbose_name = _("methodology adoption")
        verbose_name_plural = _("methodology adoptions")
        ordering = ["body", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["body", "valid_from"], name="adoption_start_unique_in_body"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="adoption_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.version_id} {self.valid_from.isoformat()}–{end}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Checked on every save, not only in forms: an effective version that cannot be built
        # would make every rule of the body fail later, far from the mistake.
        self.clean_local_parameters()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The adoption ends before it starts.")})
        self.clean_local_parameters()
        if not self.body_id or not self.valid_from:
            return
        # One body, one methodology per day: refuse any overlap with the body's other adoptions.
        others = MethodologyAdoption.objects.filter(body_id=self.body_id).exclude(pk=self.pk)
        overlapping = others.filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        clash = overlapping.first()
        if clash is not None:
            raise ValidationError(
                _("This period overlaps the adoption %(other)s of the same body."),
                params={"other": str(clash)}, code="overlapping_adoption",
            )

    def clean_local_parameters(self) -> None:
        """The body's values go through the same checks as a version file (methodology.local)."""
        if not self.local_parameters:
            return
        if not isinstance(self.local_parameters, dict):
            raise ValidationError({"local_parameters": _("Must be an object keyed by parameter name.")})
        if self.version_id not in version_ids():
            return  # the version id's own validator reports it
        try:
            apply_local_parameters(get_version(self.version_id), self.local_parameters)
        except LocalParameterError as exc:
            raise ValidationError(
                {"local_parameters": ValidationError(
                    _("Parameter %(parameter)s: %(path)s: %(problem)s"),
                    params={"parameter": exc.parameter, "path": exc.path, "problem": exc.problem},
                    code="invalid_local_parameter",
                )}
            ) from exc
