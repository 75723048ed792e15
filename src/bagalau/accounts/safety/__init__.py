"""Data safety: backup and restore of the whole database with its files, the export of one
servant's personal data, and the checks that prove a restore gave back what was saved."""
