"""URLs of document downloads and batch jobs (views in web/documents/), included at the root of the `web` namespace."""

from django.urls import URLPattern, URLResolver, path, register_converter

from bagalau.web.documents import views


class _Choice:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class LanguageConverter(_Choice):
    regex = "kk|ru"


class FormatConverter(_Choice):
    regex = "pdf|docx"


register_converter(LanguageConverter, "doclang")
register_converter(FormatConverter, "docfmt")

urlpatterns: list[URLPattern | URLResolver] = [
    path("documents/<slug:form>/<int:object_id>/<doclang:language>.<docfmt:fmt>", views.download,
         name="documents_download"),
    path("documents/files/<int:document_id>/", views.stored, name="documents_file"),
    path("documents/cycles/<int:cycle_id>/", views.batch_page, name="documents_batches"),
    path("documents/batches/<int:job_id>/progress/", views.batch_progress, name="documents_batch_progress"),
    path("documents/batches/<int:job_id>/resume/", views.batch_resume, name="documents_batch_resume"),
    path("documents/batches/<int:job_id>/zip/", views.batch_zip, name="documents_batch_zip"),
]
