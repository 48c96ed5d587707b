"""Fixtures for the radar tests come from tests/conftest.py."""

from __future__ import annotations

from tests.conftest import MakeRound

__all__ = ["MakeRound"]
