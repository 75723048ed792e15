"""URLs of the evaluation commission's pages (views in web/commission/), included at the root of
the `web` namespace. `commission_meeting` is the address the commission's work items link to."""

from django.urls import path

from bagalau.web.commission import orders, protocol, sitting

urlpatterns = [
    path("commission/", orders.commission_page, name="commission"),
    path("commission/order/", orders.order_form, name="commission_order"),
    path("commission/meetings/propose/", orders.propose, name="commission_propose"),
    path("commission/votes/", orders.my_votes, name="commission_votes"),
    path("commission/meetings/<int:meeting_id>/", sitting.meeting_page, name="commission_meeting"),
    path("commission/meetings/<int:meeting_id>/consent/", sitting.consent, name="commission_consent"),
    path("commission/meetings/<int:meeting_id>/reschedule/", sitting.reschedule, name="commission_reschedule"),
    path("commission/meetings/<int:meeting_id>/cancel/", sitting.cancel, name="commission_cancel"),
    path("commission/meetings/<int:meeting_id>/prepare/", sitting.prepare_protocol, name="commission_prepare"),
    path("commission/meetings/<int:meeting_id>/open/", sitting.open_session, name="commission_open"),
    path("commission/meetings/<int:meeting_id>/attendance/", sitting.attendance, name="commission_attendance"),
    path("commission/meetings/<int:meeting_id>/vote/", sitting.vote, name="commission_vote"),
    path("commission/meetings/<int:meeting_id>/decide/", sitting.decide, name="commission_decide"),
    path("commission/meetings/<int:meeting_id>/conclude/", sitting.conclude, name="commission_conclude"),
    path("commission/meetings/<int:meeting_id>/protocol/", protocol.protocol_page, name="commission_protocol"),
    path("commission/meetings/<int:meeting_id>/sign/", protocol.sign, name="commission_sign"),
    path("commission/meetings/<int:meeting_id>/approve/", protocol.approve, name="commission_approve"),
]
