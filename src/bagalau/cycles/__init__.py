"""Evaluation cycles pinned to a methodology version, with the org snapshot, individual work plans
(Annex 9), KPI evaluation sheets (Annex 10) and signatures.

Where to look (pages and API call only `services` and `selectors`):

* models.py: EvaluationCycle -> Participant (the snapshot and launch decisions) -> IndividualWorkPlan
  (+ Kpi) -> KpiSheet (+ KpiOutcome, EvidenceFile); Signature on a plan or a sheet.
* workflow.py: the transition tables (plan, sheet, cycle), `fire`, `available`, IllegalTransition.
* services/: every write (create/preview/launch/cancel/close a cycle; save/submit/approve/return a
  plan; save/attach/remove evidence/sign/agree/return/forward a sheet).
* selectors.py: cycle list and detail, `cycle_board`, plan and sheet detail with signature validity
  and the moves open to the reader, personal lists (my evaluations, my subordinates, to review, to
  forward), evidence download.
* launch.py: who is evaluated and how (S1-p.6, methods by head flag); `describe_note` renders a
  launch note in the reader's language.
* dues.py: due dates from the core, stored with rule, clause and the day-by-day explanation.
* steps.py: work items (inbox) and notices of each step. content.py: the canonical JSON signed.
* evidence.py: upload checks by content. clock.py: the services' "today" (tests replace it).
"""
