from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingConfig(AppConfig):
    name = "bagalau.assessments.ranking"
    label = "ranking"
    verbose_name = _("Ranking")

    def ready(self) -> None:
        # Submitted ranking results join the Commission's agenda like submitted KPI sheets.
        from bagalau.assessments.ranking.services import waiting_for_commission
        from bagalau.commission.services import sources

        sources.register(waiting_for_commission)
