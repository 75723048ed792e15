"""Models of Outcomes."""
