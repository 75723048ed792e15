"""Evaluation cycles pinned to a methodology version, with the org snapshot, individual work plans,
KPI evaluation sheets and signatures."""
