"""The synthetic country of `load_scale_demo` (pure, no Django): its organisations, and the
stage each one reports for each technology in each domain and survey year.

Every technology spreads through the country along its own course: a year by which half
of the organisations use it and a spread in years; an organisation's own year follows its
size (larger ones first, on a log scale) and some individual noise, plus a constant
offset per technology and domain. The stage of a survey year follows from how many
years before or after its own year the survey lies. Same seed, same country."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

COUNTRY = "XS"
"""A user-assigned ISO 3166-1 code (XA–XZ are never given to a country): "synthetic"."""

REGIONS = 10

NOT_RELEVANT = "not_relevant"
NOT_CONSIDERING = "not_considering"
CONSIDERING = "considering"
PILOTING = "piloting"
IN_OPERATION = "in_operation"
SCALED = "scaled"
DISCONTINUED = "discontinued"

EXPERIENCE = frozenset({PILOTING, IN_OPERATION, SCALED, DISCONTINUED})
EXPECTATION = frozenset({NOT_CONSIDERING, CONSIDERING})

# Surveys are answered in March.
SURVEY_TIME = 0.2
# Share of relevant answers that report a technology as not relevant anyway, and share of
# users that have dropped it.
STRAY_NOT_RELEVANT = 0.02
DROPPED = 0.03


@dataclass(frozen=True)
class Organisation:
    """One synthetic local government."""

    number: int
    code: str
    name: str
    region: int
    population: int
    lead: float  # years earlier (positive) or later than the median organisation


@dataclass(frozen=True)
class Course:
    """How one technology spreads: the year half the organisations use it, the spread
    in years (standard deviation of the organisations' own years)."""

    median_year: float
    spread: float


def organisation_code(number: int, count: int) -> str:
    """ "S00001" …: the letter S and the number, zero-padded to the width of the count (at
    least 5 digits), at most 10 characters."""
    width = max(5, len(str(count)))
    return f"S{number:0{width}d}"


def organisations(count: int, seed: int) -> list[Organisation]:
    """`count` organisations with log-normal populations (median about 20,000) in
    `REGIONS` regions; larger ones lead (adopt earlier)."""
    rng = random.Random(f"{seed}-organisations")
    logs = [rng.gauss(math.log(20_000), 0.9) for _ in range(count)]
    mean = sum(logs) / count if count else 0.0
    result = []
    for index, log_population in enumerate(logs, start=1):
        population = max(300, min(2_000_000, round(math.exp(log_population), -2)))
        size = log_population - mean
        result.append(
            Organisation(
                number=index,
                code=organisation_code(index, count),
                name=f"Syntetisk kommune {organisation_code(index, count)[1:]}",
                region=(index - 1) % REGIONS + 1,
                population=int(population),
                lead=1.2 * size + rng.gauss(0, 1.0),
            )
        )
    return result


def courses(technologies: int, seed: int) -> list[Course]:
    """One course per technology: median years from 2012 to 2036, spreads of 1.5–4 years."""
    rng = random.Random(f"{seed}-courses")
    return [Course(rng.uniform(2012, 2036), rng.uniform(1.5, 4.0)) for _ in range(technologies)]


def maturity_rating(course: Course, year: int) -> int:
    """An expert rating (1–9) that grows as the technology spreads."""
    return max(1, min(9, round(5 + (year - course.median_year) / 2.5)))


def stage_for(years_in_use: float, drop: float) -> str:
    """The stage reported `years_in_use` years after the organisation's own year (negative:
    before it); `drop` (0..1) below `DROPPED` means a user has dropped it."""
    if years_in_use < -4:
        return NOT_CONSIDERING
    if years_in_use < -1.5:
        return CONSIDERING
    if years_in_use < 0:
        return PILOTING
    if drop < DROPPED:
        return DISCONTINUED
    if years_in_use < 3:
        return IN_OPERATION
    return SCALED


# Value answers per dimension (efficiency, quality, wellbeing), as codes. Users mostly
# report some or large value; the others mostly expect some; a few do not know.
_EXPERIENCED = ("large", "some", "some", "some", "none", "dont_know", "large", "some")
_EXPECTED = ("some", "some", "none", "dont_know", "large", "some", "none", "some")


def value_suffixes(seed: int, variants: int = 64) -> dict[str, list[str]]:
    """Per stage, `variants` tab-separated tails of an answer line: the stage, three value
    codes and an empty comment (a line picks one at random)."""
    rng = random.Random(f"{seed}-values")
    result: dict[str, list[str]] = {}
    for stage in (
        NOT_RELEVANT,
        NOT_CONSIDERING,
        CONSIDERING,
        PILOTING,
        IN_OPERATION,
        SCALED,
        DISCONTINUED,
    ):
        tails = []
        for _ in range(variants):
            if stage == NOT_RELEVANT:
                values = ("", "", "")
            elif stage in EXPERIENCE:
                values = tuple(rng.choice(_EXPERIENCED) for _ in range(3))  # type: ignore[assignment]
            else:
                values = tuple(rng.choice(_EXPECTED) for _ in range(3))  # type: ignore[assignment]
            tails.append("\t".join((stage, *values, "")))
        result[stage] = tails
    return result


def answers(
    organisation: Organisation,
    domains: int,
    technology_courses: list[Course],
    relevant: list[list[bool]],
    domain_offsets: list[list[float]],
    years: list[int],
    rng: random.Random,
) -> Iterator[tuple[int, int, int, str]]:
    """(domain index, technology index, year index, stage) of every answer one organisation
    gives: every domain, every technology, every year; the organisation's own year with a
    technology in a domain is the same in every survey, so its stage moves forward."""
    for d in range(domains):
        for t, course in enumerate(technology_courses):
            if not relevant[t][d]:
                for y in range(len(years)):
                    yield d, t, y, NOT_RELEVANT
                continue
            own_year = (
                course.median_year
                - organisation.lead * course.spread / 2
                + domain_offsets[t][d]
                + rng.gauss(0, course.spread / 2)
            )
            drop = rng.random()
            stray = rng.random() < STRAY_NOT_RELEVANT
            for y, year in enumerate(years):
                if stray:
                    yield d, t, y, NOT_RELEVANT
                else:
                    yield d, t, y, stage_for(year + SURVEY_TIME - own_year, drop)


def relevance(technologies: int, domains: int, home: list[set[int]], seed: int) -> list[list[bool]]:
    """Whether technology t is relevant in domain d: always in its own domains (`home`),
    in a third of the others."""
    rng = random.Random(f"{seed}-relevance")
    return [
        [d in home[t] or rng.random() < 1 / 3 for d in range(domains)] for t in range(technologies)
    ]


def offsets(technologies: int, domains: int, seed: int) -> list[list[float]]:
    """Years a technology comes later (positive) or earlier in each domain."""
    rng = random.Random(f"{seed}-offsets")
    return [[rng.gauss(0, 1.5) for _ in range(domains)] for _ in range(technologies)]
