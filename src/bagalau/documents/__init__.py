"""Official forms as PDF and DOCX in Kazakh and Russian, stored with their SHA-256."""
