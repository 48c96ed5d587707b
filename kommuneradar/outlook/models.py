"""The outlook has no tables of its own: it is computed from the published survey rounds,
the benefits follow-ups and the programmes' enrolments, and kept in the cache per data
state (services.py)."""
