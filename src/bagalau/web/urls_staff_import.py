"""URLs of the staff import pages (views in staff_import.py)."""

from django.urls import path

from bagalau.web import staff_import

urlpatterns = [
    path("", staff_import.upload, name="staff_import"),
]
