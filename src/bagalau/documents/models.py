"""Generated official documents and the batch jobs that produce a whole cycle's set.

Why the shapes are what they are:

* **A document is pinned to what it renders.** `source_sha256` is the hash of the canonical data
  the form's builder produced (names, results, signatures, dates, clauses, language); `sha256` is
  the hash of the file's bytes. The renderers are deterministic (fixed PDF metadata, fixed ZIP
  timestamps in the DOCX), so the same source always gives the same bytes: a signed document
  regenerated from the same source is the same file, and a render that would differ is refused.
  One row per (object, form, language, format, source): a repeated request, a retried batch item
  or two workers racing on the same item all end on that one row (a unique constraint decides).
* **The object is referenced generically** (content type + id) because the forms render objects of
  several apps (plans, sheets, protocols, cycles, later ranking lists, 360 reports, outcomes);
  `object_state` records the object's workflow state when it was rendered and `signed` whether it
  carried signatures then.
* **A batch job is its own progress record.** `items` is the fixed list of what the job renders,
  decided when it is created; `results` maps an item's index to the document it produced. The
  worker marks items one at a time in their own transactions, so a killed worker loses at most the
  item in progress, and running the job again skips every item already in `results`.
* Every row carries `body`, so every read filters by the tenant directly.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


def document_path(instance: GeneratedDocument, filename: str) -> str:
    # Named by content hash: no user-chosen component ever reaches the storage.
    return f"documents/{instance.body_id}/{instance.form}/{instance.sha256}.{instance.format}"


class GeneratedDocument(models.Model):
    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    form = models.CharField(_("form"), max_length=40)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    methodology_version = models.CharField(_("methodology version"), max_length=64, blank=True)
    object_state = models.CharField(_("state of the document rendered"), max_length=40, blank=True)
    signed = models.BooleanField(_("signed"), default=False)
    source_sha256 = models.CharField(max_length=64)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField(_("size"))
    file = models.FileField(upload_to=document_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-generated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "form", "language", "format",
                                            "source_sha256"], name="documents_one_file_per_source"),
        ]
        indexes = [models.Index(fields=["body", "content_type", "object_id"], name="documents_body_object")]

    def __str__(self) -> str:
        return self.filename


class BatchState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def batch_path(instance: BatchJob, filename: str) -> str:
    return f"documents/{instance.body_id}/batches/{instance.pk}-{instance.sha256}.zip"


class BatchJob(models.Model):
    """A cycle's whole set of documents rendered in the background and delivered as one ZIP."""

    body = models.ForeignKey("orgs.StateBody", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey("cycles.EvaluationCycle", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=BatchState.choices, default=BatchState.QUEUED)
    languages = models.JSONField(default=list)
    formats = models.JSONField(default=list)
    items = models.JSONField(default=list, help_text="[{form, object_id, language, format}] in ZIP order.")
    results = models.JSONField(default=dict, help_text="{item index: generated document id}.")
    total = models.PositiveIntegerField(_("items"), default=0)
    done = models.PositiveIntegerField(_("items done"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(upload_to=batch_path, max_length=300, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("requested at"))
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document batch")
        verbose_name_plural = _("document batches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["body", "cycle"], name="documents_batch_body_cycle")]

    def __str__(self) -> str:
        return f"Batch #{self.pk} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100
