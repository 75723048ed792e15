"""The HTTP API (Django Ninja, OpenAPI 3.1 at /api/docs). Handlers parse, call one service or
selector and serialise; rules and permissions live in the services."""
