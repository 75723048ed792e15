from django.contrib import admin

from bagalau.lawbook.models import CalendarOverride, MethodologyAdoption


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working", "legal_act")
    list_filter = ("is_working",)
    search_fields = ("legal_act", "note_kk", "note_ru")
    date_hierarchy = "date"


@admin.register(MethodologyAdoption)
class MethodologyAdoptionAdmin(admin.ModelAdmin):
    list_display = ("body", "version_id", "valid_from", "valid_to")
    list_filter = ("version_id",)
    search_fields = ("body__name_kk", "body__name_ru", "version_id")
