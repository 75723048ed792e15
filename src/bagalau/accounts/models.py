"""Models of Accounts."""
