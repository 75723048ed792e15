"""The approval of results by the authorized person opens familiarization (and closes what a
superseded result had open), in the approving transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from bagalau.commission.signals import results_final


@receiver(results_final, dispatch_uid="outcomes.open_familiarizations")
def on_results_final(sender: Any, *, body: Any, actor: Any, results: list[Any], superseded: list[Any],
                     **kwargs: Any) -> None:
    from bagalau.outcomes.services.familiarization import open_familiarizations

    open_familiarizations(body=body, actor=actor, results=results, superseded=superseded)
