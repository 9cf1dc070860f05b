"""Reading, validating and loading the files statistics staff bring (one schema per kind)."""
