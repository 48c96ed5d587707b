"""Nothing to administer: the outlook is computed, never edited (see models.py)."""
