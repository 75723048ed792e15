"""Models of Ranking."""
