"""Demonstration data: the bundled county sample and synthetic provinces and nations (clearly marked as
sample data wherever they are shown)."""
