"""The other two evaluation methods: ranking (саралау) and the 360 survey (Annex 4).

Each is its own Django app under this package, so each owns its models and migrations."""
