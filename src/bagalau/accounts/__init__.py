"""Sign-in security: throttling and lockout, two-factor (TOTP), sessions and their audit."""
