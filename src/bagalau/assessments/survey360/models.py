"""Models of 360 survey."""
