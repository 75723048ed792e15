"""Consequences of results (spec 10, S1-p.9): proposals by HR on final KPI or ranking results,
approved by the authorized person; a 360 result is refused as a basis."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.assessments.survey360 import services as survey360_services
from bagalau.audit.models import AuditEvent
from bagalau.cycles.clock import today
from bagalau.outcomes import rules, selectors, services
from bagalau.outcomes.models import ConsequenceProposal, ProposalState
from bagalau.outcomes.workflow import IllegalTransition


def _propose(world, results, key="head_b", **kw):
    args = {"basis": "kpi", "purpose": "bonus", "justification": "Every KPI met (EFFECTIVE).", **kw}
    return services.propose_consequence(world.hr, world.body, results[key].pk, **args)


def test_360_is_refused_as_a_basis_for_consequences_S1_p9(world, results):
    result = results["head_b"]
    version = rules.version_of(world.body, result.methodology_version, result.approved_on)
    for purpose in ("bonus", "promotion", "dismissal"):
        with pytest.raises(ValidationError) as exc:
            _propose(world, results, basis="method_360", purpose=purpose)
        assert "G23-uses" in str(exc.value.message_dict["basis"])
        # Through the 360 survey's own door, the one its API answers with: the same refusal word for word.
        with pytest.raises(ValidationError) as door:
            survey360_services.require_use_under(version, purpose, today(), field="basis")
        assert exc.value.message_dict == door.value.message_dict
    assert not ConsequenceProposal.objects.exists()


def test_hr_proposes_and_the_authorized_person_approves(world, results):
    proposal = _propose(world, results)
    assert (proposal.state, proposal.clause, proposal.decision["value"]) == ("proposed", "G23-uses", True)
    with pytest.raises(PermissionDenied):
        services.decide_consequence(world.hr, world.body, proposal.pk, approve=True,
                                    expected_version=proposal.version)
    proposal = services.decide_consequence(world.authorized, world.body, proposal.pk, approve=True,
                                           expected_version=proposal.version)
    assert (proposal.state, proposal.decided_by) == (ProposalState.APPROVED, world.authorized)
    assert AuditEvent.objects.filter(action="outcomes.consequence.approve", object_id=str(proposal.pk)).exists()
    with pytest.raises(IllegalTransition):
        services.withdraw_consequence(world.hr, world.body, proposal.pk, expected_version=proposal.version)
    listed = selectors.consequences(world.hr, world.body, servant_id=world.servant("head_b").pk)
    assert listed == [proposal]


def test_a_rejection_needs_its_reason_and_hr_may_withdraw(world, results):
    proposal = _propose(world, results, key="head_d", purpose="training", justification="KPI 3 not met")
    with pytest.raises(ValidationError):
        services.decide_consequence(world.authorized, world.body, proposal.pk, approve=False,
                                    expected_version=proposal.version)
    second = _propose(world, results, key="head_d", purpose="rotation", justification="Broaden the experience")
    second = services.withdraw_consequence(world.hr, world.body, second.pk, expected_version=second.version)
    assert second.state == ProposalState.WITHDRAWN


def test_bad_proposals_name_the_field(world, results):
    with pytest.raises(ValidationError) as exc:
        _propose(world, results, purpose="medal")
    assert "purpose" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _propose(world, results, basis="ranking")  # the result is a KPI result
    assert "basis" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _propose(world, results, justification=" ")
    assert "justification" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.propose_consequence(world.user("head_b"), world.body, results["head_b"].pk, basis="kpi",
                                     purpose="bonus", justification="me")
