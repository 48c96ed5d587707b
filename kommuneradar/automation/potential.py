"""The arithmetic of the automation pipeline (pure, no Django).

Units: hours per year, minutes per case, the automation share in percent (0–100), FTE
(årsværk) of `HOURS_PER_FTE` = 1,924 hours a year, the same figure the benefits follow-up
uses (`benefits.finance.HOURS_PER_FTE`), so a process's FTE and a project's FTE add up.

Decimals are kept: an expected gain of 0.4 hours a year stays 0.4, not 0, and the
rounding is left to the page that shows it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kommuneradar.benefits.finance import HOURS_PER_FTE as _HOURS_PER_FTE

HOURS_PER_FTE = Decimal(str(_HOURS_PER_FTE))
DAYS_PER_YEAR = Decimal(365)
MINUTES_PER_HOUR = Decimal(60)
HUNDRED = Decimal(100)

# The suitability questions, by field name, each answered 1 (not at all) to 5 (fully).
QUESTIONS: tuple[str, ...] = (
    "structured_input",
    "rule_based",
    "uniform",
    "stable",
    "volume",
    "quality_gain",
    "speed_gain",
    "routine_relief",
)
# A robot cannot read what is not digital nor decide what follows no rule: either
# answered 1 makes the process unsuited whatever the other answers say.
PREREQUISITES: tuple[str, ...] = ("structured_input", "rule_based")
LOWEST, HIGHEST = 1, 5
STRENGTH_FROM = 4  # an answer of 4 or 5 is a reason for automating
WEAKNESS_UP_TO = 2  # an answer of 1 or 2 is a reason against

SUITED = "suited"
POSSIBLY = "possibly"
UNSUITED = "unsuited"
SUITED_FROM = Decimal("0.75")
POSSIBLY_FROM = Decimal("0.5")

# Size bands of the expected gain, in hours per year: [lower, upper).
SIZE_BANDS: tuple[tuple[str, Decimal, Decimal | None], ...] = (
    ("small", Decimal(0), Decimal(200)),
    ("medium", Decimal(200), Decimal(1000)),
    ("large", Decimal(1000), None),
)


def expected_hours(
    cases_per_year: int | Decimal, minutes_per_case: Decimal, automation_share_percent: Decimal
) -> Decimal:
    """Expected hours freed per year: cases per year × minutes per case / 60 × share / 100.

    Raises ValueError on negative input or a share above 100 percent."""
    cases = Decimal(cases_per_year)
    minutes = Decimal(minutes_per_case)
    share = Decimal(automation_share_percent)
    if cases < 0 or minutes < 0 or share < 0 or share > HUNDRED:
        raise ValueError("cases and minutes must not be negative; the share is 0 to 100")
    return cases * minutes * share / (MINUTES_PER_HOUR * HUNDRED)


def fte(hours_per_year: Decimal, hours_per_fte: Decimal = HOURS_PER_FTE) -> Decimal:
    """Full-time equivalents of `hours_per_year` (hours / 1,924 by default)."""
    if hours_per_fte <= 0:
        raise ValueError("hours_per_fte must be positive")
    return Decimal(hours_per_year) / hours_per_fte


def size_band(hours_per_year: Decimal) -> str:
    """ "small" (under 200 hours a year), "medium" (200 to under 1,000) or "large"."""
    for code, lower, upper in SIZE_BANDS:
        if hours_per_year >= lower and (upper is None or hours_per_year < upper):
            return code
    return SIZE_BANDS[0][0]  # negative: below the smallest band


def band_bounds(code: str) -> tuple[Decimal, Decimal | None]:
    """The [lower, upper) hours of a size band; KeyError for an unknown code."""
    for band, lower, upper in SIZE_BANDS:
        if band == code:
            return lower, upper
    raise KeyError(code)


def period_days(start: datetime.date, end: datetime.date) -> int:
    """Days in a period counting both ends (a period of one day has one day)."""
    if end < start:
        raise ValueError("the period ends before it starts")
    return (end - start).days + 1


def yearly_rate(hours: Decimal, start: datetime.date, end: datetime.date) -> Decimal:
    """Hours in a period as hours per year (× 365 / days in the period)."""
    return Decimal(hours) * DAYS_PER_YEAR / Decimal(period_days(start, end))


def realisation_share(realised: Decimal, expected: Decimal) -> Decimal | None:
    """Realised hours as a share of expected (1 = as expected); None without an expectation."""
    if expected <= 0:
        return None
    return realised / expected


@dataclass(frozen=True)
class Suitability:
    """A suitability assessment summed up: `score` 0..1 (the mean answer mapped from
    1..5), `verdict` (suited, possibly, unsuited) and the reasons: the questions answered
    4–5 (`strengths`), answered 1–2 (`weaknesses`) and prerequisites answered 1
    (`blockers`), each in the order of `QUESTIONS`."""

    score: Decimal
    verdict: str
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    blockers: tuple[str, ...]


def suitability(answers: Mapping[str, int]) -> Suitability:
    """Score and reasons of a complete set of answers (every question, each 1..5).

    score = mean((answer − 1) / 4); suited from 0.75, possibly from 0.5, else unsuited,
    and unsuited whenever a prerequisite is answered 1."""
    missing = [name for name in QUESTIONS if name not in answers]
    if missing:
        raise ValueError(f"unanswered: {', '.join(missing)}")
    for name in QUESTIONS:
        if not LOWEST <= answers[name] <= HIGHEST:
            raise ValueError(f"{name} must be {LOWEST} to {HIGHEST}")
    span = Decimal(HIGHEST - LOWEST)
    total = sum((Decimal(answers[name] - LOWEST) / span for name in QUESTIONS), Decimal(0))
    score = total / Decimal(len(QUESTIONS))
    blockers = tuple(name for name in PREREQUISITES if answers[name] == LOWEST)
    if blockers:
        verdict = UNSUITED
    elif score >= SUITED_FROM:
        verdict = SUITED
    elif score >= POSSIBLY_FROM:
        verdict = POSSIBLY
    else:
        verdict = UNSUITED
    return Suitability(
        score=score,
        verdict=verdict,
        strengths=tuple(name for name in QUESTIONS if answers[name] >= STRENGTH_FROM),
        weaknesses=tuple(name for name in QUESTIONS if answers[name] <= WEAKNESS_UP_TO),
        blockers=blockers,
    )
