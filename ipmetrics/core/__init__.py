"""The foundations: settings, the one door to the database, periods and words, the goal registry, the
measures declared once, and the pure progress arithmetic every page and export reads."""
