"""URLs of the KPI workflow pages (views in web/cycles/), included at the root of the `web`
namespace: the inbox, HR's cycle pages (list, launch, board, cancel, close), the plan, the sheet
and the evidence files."""

from django.urls import path

from bagalau.web.cycles import cycles, inbox, plans, sheets

urlpatterns = [
    path("inbox/", inbox.inbox, name="inbox"),
    path("cycles/", cycles.cycle_list, name="cycles"),
    path("cycles/<int:cycle_id>/", cycles.cycle_board, name="cycle"),
    path("cycles/<int:cycle_id>/launch/", cycles.cycle_launch, name="cycle_launch"),
    path("cycles/<int:cycle_id>/cancel/", cycles.cycle_cancel, name="cycle_cancel"),
    path("cycles/<int:cycle_id>/close/", cycles.cycle_close, name="cycle_close"),
    path("plans/<int:plan_id>/", plans.plan_page, name="plan"),
    path("plans/<int:plan_id>/review/", plans.plan_review, name="plan_review"),
    path("sheets/<int:sheet_id>/", sheets.sheet_page, name="sheet"),
    path("sheets/<int:sheet_id>/rating/", sheets.sheet_rating, name="sheet_rating"),
    path("sheets/<int:sheet_id>/review/", sheets.sheet_review, name="sheet_review"),
    path("sheets/<int:sheet_id>/forward/", sheets.sheet_forward, name="sheet_forward"),
    path("evidence/<int:file_id>/", sheets.evidence_download, name="evidence"),
]
