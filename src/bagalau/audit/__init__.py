"""Append-only, hash-chained audit trail: every state change of the system, provable afterwards."""
