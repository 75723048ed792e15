"""URLs of the 360 survey pages (views in web/survey360/), included at the root of the `web`
namespace. `survey360_questionnaire` is the address the raters' work items link to."""

from django.urls import path

from bagalau.web.survey360 import questionnaires, report, surveys

urlpatterns = [
    path("survey360/", surveys.surveys_page, name="survey360"),
    path("survey360/new/", surveys.create, name="survey360_create"),
    path("survey360/<int:survey_id>/", surveys.survey_page, name="survey360_survey"),
    path("survey360/<int:survey_id>/raters/", surveys.assign, name="survey360_assign"),
    path("survey360/<int:survey_id>/raters/<int:assignment_id>/withdraw/", surveys.withdraw,
         name="survey360_withdraw"),
    path("survey360/<int:survey_id>/send/", surveys.send, name="survey360_send"),
    path("survey360/<int:survey_id>/close/", surveys.close, name="survey360_close"),
    path("survey360/<int:survey_id>/cancel/", surveys.cancel, name="survey360_cancel"),
    path("survey360/<int:survey_id>/report/", report.report_page, name="survey360_report"),
    path("survey360/<int:survey_id>/report.csv", report.report_csv, name="survey360_report_csv"),
    path("survey360/questionnaires/", questionnaires.mine, name="survey360_mine"),
    path("survey360/questionnaires/<int:assignment_id>/", questionnaires.questionnaire,
         name="survey360_questionnaire"),
]
