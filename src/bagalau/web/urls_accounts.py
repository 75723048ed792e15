"""URLs of sign-in security (two-factor set-up and verification) and HR's personal data export
(views in web/accounts/), included at the root of the `web` namespace."""

from django.urls import path

from bagalau.web.accounts import personal_data, twofactor

urlpatterns = [
    path("account/two-factor/setup/", twofactor.enrol, name="two_factor_enrol"),
    path("account/two-factor/verify/", twofactor.verify, name="two_factor_verify"),
    path("staff/personal-data/", personal_data.export_page, name="personal_data_export"),
]
