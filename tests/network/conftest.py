"""A small published survey for the network's pages: the first ten municipalities by
code (101 København first) answer in Sundhed og ældre."""

from __future__ import annotations

from typing import Any

import pytest

from kommuneradar.radar.editions import compute_round
from kommuneradar.surveys.models import Round

USE = "in_operation"
# København (index 0) considers screen visits; seven others use them, so they are READY.
SCREEN_VISITS = [
    "considering",
    USE,
    USE,
    "scaled",
    USE,
    USE,
    USE,
    "scaled",
    "considering",
    "piloting",
]
ROBOTS = ["scaled", USE, "piloting", USE, "not_considering", USE, USE, "considering", USE, USE]


@pytest.fixture
def published_survey(make_round: Any) -> Round:
    round_: Round = make_round(2023, {"skaermbesoeg": SCREEN_VISITS, "rpa": ROBOTS}, rating=8)
    compute_round(round_, publish=True)
    return round_
