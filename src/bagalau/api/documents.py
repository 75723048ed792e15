"""Official documents: generate, list and download PDF/DOCX forms; batch ZIP jobs."""

from __future__ import annotations

from ninja import Router

router = Router()
