"""State bodies (tenants), their structure, positions, servants, appointments, absences and roles."""
