"""The law as code: the rules of Corps B performance evaluation, by methodology version.

Pure Python with no Django import (a test checks it): rules take plain values and a
`MethodologyVersion` loaded from `versions/*.yaml`, and return a `Decision` that carries the
value, the clause it rests on and whether every parameter used is verified. The Django apps
record; this package decides. See DESIGN.md section 2.

Public entry points (import from the submodules):

* versions: `get_version`, `version_ids`, `load_version_file`, `Registry`
* resolution: `Adoption`, `version_for`, `clause_for`, `clauses_in_force`
* calendar: `CalendarOverride`, `WorkingCalendar`, `is_working_day`, `add_working_days`,
  `working_days_between`
* kpi: `validate_plan`, `grade`, `grade_results`, `is_achieved`
* commission: `check_composition`, `quorum`, `count_votes`
* deadlines: `compute_deadline` and the named rules; appeal: `appeal_timeliness`, `venues`,
  `check_outcome`; explain: `render_deadline` (kk/ru/en, day by day)
* eligibility: `methods_for`, `is_evaluable`, `participation`, `transitional_route`
* review: `plan_approver`, `sheet_reviewer`, `sheet_signer`, `check_superior_review`
* uses: `may_use`; ranking: `validate_ranking`; survey360: `score_360`
* familiarization: `check_refusal_act`, `channels`; quarterly (G2025): `annual_from_quarters`,
  `evaluating_party`, `retention_until`

Loading: `versions.py` (files) -> `schema.py` (structure) -> `parameters.py` (values) via
`reader.py` (typed access with file/key errors). `rulebase.py` is what every rule uses to read a
parameter and check its clause is in force on the day of the action.
"""
