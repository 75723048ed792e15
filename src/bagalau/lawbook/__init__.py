"""The Django side of the methodology core: calendar overrides kept in the database, which
methodology version each body adopted, and the `methodology` command that explains the law."""
