"""Server-rendered pages (htmx for partial updates): login, role-aware home, HR pages."""
