"""The file formats the exports write, by name: a light module, so the command line can offer them without
loading plotly and the renderer."""

from __future__ import annotations

IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}  # format → MIME type
BRIEFING_FORMATS = ("docx", "pdf", "pptx")
