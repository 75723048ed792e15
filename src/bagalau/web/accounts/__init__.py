"""Pages of sign-in security (two-factor set-up and verification) and of HR's personal data export."""
