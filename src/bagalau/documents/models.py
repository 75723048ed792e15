"""Models of Documents."""
