from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "bagalau.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # Batches whose worker died are resumed by the periodic sweep, which every deployment runs;
        # the inbox only calls what is registered, it does not know the documents app.
        from bagalau.documents.services import resume_stale_batches
        from bagalau.inbox.sweep import register_step

        register_step("document_batches_resumed", resume_stale_batches)
