"""The 360 survey: Annex 4 questionnaires, raters, anonymity and the development-only report."""
