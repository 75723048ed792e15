"""URLs of the staff import pages (views in staff_import.py), included under staff/import/ in the
`web` namespace."""

from django.urls import path

from bagalau.web import staff_import

urlpatterns = [
    path("", staff_import.upload, name="staff_import"),
    path("template.csv", staff_import.template_csv_view, name="staff_import_template_csv"),
    path("template.xlsx", staff_import.template_xlsx_view, name="staff_import_template_xlsx"),
]
