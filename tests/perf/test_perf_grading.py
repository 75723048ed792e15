"""The country-wide results computation (`cycles.grading`) decides exactly what the one-sheet path
(`save_sheet` -> `derive`) decides, for every sheet, while asking the rules core once per
distinct input."""

from __future__ import annotations

import random

import pytest

from bagalau.cycles import grading
from bagalau.cycles.models import KpiOutcome, KpiSheet
from bagalau.cycles.plancheck import version_of
from bagalau.cycles.services import sheets as sheet_services
from bench import batch, generate
from bench.clock import LAUNCH_DAY
from tests.clock import install_fake_clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded_country(monkeypatch):
    install_fake_clock(monkeypatch, LAUNCH_DAY)
    country = generate.organisation(120, 40, seed=3)
    batch.launch_country(country)
    generate.year_of_work(country, seed=3, probe_body=country.bodies[0].pk)
    rng = random.Random(5)
    # A few result sets, each shared by several sheets: met, not met, partly met, not filled in.
    palette = [[(rng.choice([None, 0, 1, 2, 2, 2]), 2) for _ in range(5)] for _ in range(6)]
    palette[0] = [(2, 2)] * 5
    outcomes = list(KpiOutcome.objects.order_by("sheet_id", "number"))
    for o in outcomes:
        o.indicators_met, o.indicators_planned = palette[o.sheet_id % len(palette)][o.number - 1]
    KpiOutcome.objects.bulk_update(outcomes, ["indicators_planned", "indicators_met"])
    return country


def test_grading_in_bulk_decides_what_the_single_sheet_path_decides(graded_country, monkeypatch):
    calls = []
    real = sheet_services.derive
    monkeypatch.setattr(grading, "derive", lambda *a, **k: calls.append(1) or real(*a, **k))
    total = grading.grade_sheets(KpiSheet.objects.all(), on=LAUNCH_DAY)
    assert total == KpiSheet.objects.count() > 15
    assert 0 < len(calls) < total  # the core was asked once per distinct input, not per sheet

    rated = 0
    for sheet in KpiSheet.objects.select_related("cycle"):
        outcomes = list(sheet.outcomes.order_by("number"))
        stored = ([o.achieved for o in outcomes], sheet.achieved_count, sheet.rating, sheet.rating_clause,
                  sheet.rating_verified, sheet.rating_decision)
        expected_sheet = KpiSheet(pk=sheet.pk)
        real(version_of(sheet.cycle), expected_sheet, outcomes, LAUNCH_DAY)
        expected = ([o.achieved for o in outcomes], expected_sheet.achieved_count, expected_sheet.rating,
                    expected_sheet.rating_clause, expected_sheet.rating_verified, expected_sheet.rating_decision)
        assert stored == expected, sheet.pk
        rated += bool(sheet.rating)
    assert 0 < rated < total  # some sheets complete (rated), some with a KPI not yet filled in


def test_grading_again_changes_nothing(graded_country):
    grading.grade_sheets(KpiSheet.objects.all(), on=LAUNCH_DAY)
    before = list(KpiSheet.objects.order_by("pk").values_list("rating", "rating_clause", "achieved_count"))
    achieved = list(KpiOutcome.objects.order_by("pk").values_list("achieved", flat=True))
    grading.grade_sheets(KpiSheet.objects.all(), on=LAUNCH_DAY)
    assert list(KpiSheet.objects.order_by("pk").values_list("rating", "rating_clause", "achieved_count")) == before
    assert list(KpiOutcome.objects.order_by("pk").values_list("achieved", flat=True)) == achieved
