"""Ranking (саралау): the evaluator grades the servants of a unit on the version's scale."""
