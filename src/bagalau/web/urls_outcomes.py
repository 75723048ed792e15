"""URLs of familiarization, refusal acts, appeals, consequences and the servant's own page
(views in web/outcomes/), included at the root of the `web` namespace."""

from django.urls import URLPattern, URLResolver, path

from bagalau.web.outcomes import appeals, consequences, familiarization, servant

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/evaluation/", servant.my_evaluation, name="my_evaluation"),
    path("me/evaluation/<int:familiarization_id>/sign/", servant.sign, name="my_sign"),
    path("me/evaluation/<int:familiarization_id>/refuse/", servant.refuse, name="my_refuse"),
    path("me/results/<int:result_id>/appeal/", servant.file_appeal, name="my_appeal"),
    path("me/notifications/", servant.my_notifications, name="my_notifications"),
    path("outcomes/familiarization/", familiarization.board, name="outcomes_board"),
    path("outcomes/familiarization/<int:familiarization_id>/", familiarization.familiarization_page,
         name="outcomes_act"),
    path("outcomes/familiarization/<int:familiarization_id>/act/", familiarization.draw_act, name="outcomes_draw_act"),
    path("outcomes/familiarization/<int:familiarization_id>/delivery/", familiarization.deliver,
         name="outcomes_deliver"),
    path("outcomes/familiarization/<int:familiarization_id>/remote/", familiarization.remote_notice,
         name="outcomes_remote"),
    path("outcomes/appeals/review/", appeals.reviews, name="outcomes_reviews"),
    path("outcomes/appeals/<int:appeal_id>/", appeals.appeal_page, name="outcomes_appeal"),
    path("outcomes/appeals/<int:appeal_id>/outcome/", appeals.decide, name="outcomes_appeal_decide"),
    path("outcomes/revisions/", appeals.revisions, name="outcomes_revisions"),
    path("outcomes/revisions/propose/", appeals.propose_revision, name="outcomes_revision_propose"),
    path("outcomes/consequences/", consequences.consequences_page, name="outcomes_consequences"),
    path("outcomes/consequences/propose/", consequences.propose, name="outcomes_consequence_propose"),
    path("outcomes/consequences/<int:proposal_id>/", consequences.decide, name="outcomes_consequence_decide"),
    path("outcomes/consequences/export/", consequences.export, name="outcomes_consequences_export"),
]
