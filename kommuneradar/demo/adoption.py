"""When each demo municipality takes up each technology (pure functions, no Django).

Each technology spreads along a Bass curve. Municipalities are put in the order they
adopt it, mostly by size (larger first), partly by their general appetite for new
technology and partly by chance; the municipality at quantile u of that order starts
piloting when the curve reaches u (so the number of adopters follows the curve, and
only who they are is left to chance). The first domain starts then, the others follow
after a few years. From the pilot's start on, a municipality's stage follows from the
time passed: considering before it, piloting, in operation, then scaled for some, and
discontinued for the pilots that fail. A survey answer is that stage, now and then
reported one step too low. So over the rounds stages move forward, rarely back.

Times are years as decimals (2023.5 is about 1 July 2023).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kommuneradar.surveys import vocabulary as v

from .bass import bass_adoption_time

NEVER = math.inf
# A respondent who reports the stage before the real one (a new person answering, a
# cautious reading of "in operation"): the only backward steps besides a failed pilot.
ONE_STEP_BACK: dict[str, str] = {
    v.SCALED: v.IN_OPERATION,
    v.IN_OPERATION: v.PILOTING,
    v.PILOTING: v.CONSIDERING,
    v.CONSIDERING: v.NOT_CONSIDERING,
}


@dataclass(frozen=True)
class Curve:
    """How one technology spreads among the municipalities."""

    launch: float  # year the technology became available to municipalities
    p: float  # Bass innovation coefficient (per year)
    q: float  # Bass imitation coefficient (per year)
    ceiling: float  # share 0..1 of municipalities that ever adopt it
    pilot_years: float = 1.0  # typical length of a pilot (years)
    scale_share: float = 0.55  # share 0..1 of adopting domains that go on to scale it
    failure_share: float = 0.06  # share 0..1 of pilots that end discontinued
    domain_spread: float = 2.0  # mean years before a further domain follows the first
    home_domain: str = ""  # the domain that usually goes first ("" for any)


@dataclass(frozen=True)
class Path:
    """One municipality's course with one technology in one domain (years; NEVER if not)."""

    considers_from: float
    pilots_from: float
    operates_from: float
    scales_from: float
    discontinued_from: float
    not_relevant: bool = False


@dataclass(frozen=True)
class Anchor:
    """A course fixed by a written demo case: this municipality started `started` (a year)
    in this domain, and the case ended as `outcome` (a case stage: pilot, in_operation,
    scaled, stopped; a stopped one stopped at `ended`, a year)."""

    code: str
    technology: str
    domain: str
    started: float
    outcome: str
    ended: float = NEVER


Key = tuple[str, str, str]  # municipality code, technology slug, domain slug


def stage_at(path: Path, when: float) -> str:
    """The true stage of `path` at time `when` (a year)."""
    if when >= path.discontinued_from:
        return v.DISCONTINUED
    if when >= path.scales_from:
        return v.SCALED
    if when >= path.operates_from:
        return v.IN_OPERATION
    if when >= path.pilots_from:
        return v.PILOTING
    if when >= path.considers_from:
        return v.CONSIDERING
    return v.NOT_RELEVANT if path.not_relevant else v.NOT_CONSIDERING


def reported_stage(stage: str, draw: float, understatement: float) -> str:
    """The stage a respondent reports: one step too low when `draw` (0..1) falls below
    `understatement` (a share 0..1), otherwise the true one."""
    if draw < understatement:
        return ONE_STEP_BACK.get(stage, stage)
    return stage


def adoption_order(
    populations: dict[str, int], appetite: dict[str, float], chance: dict[str, float]
) -> list[str]:
    """Municipality codes in the order they adopt one technology: by population rank
    (weight 0.55), general appetite 0..1 (0.2) and chance 0..1 (0.25), lowest first."""
    by_size = sorted(populations, key=lambda code: (-populations[code], code))
    last = max(len(by_size) - 1, 1)
    size_rank = {code: rank / last for rank, code in enumerate(by_size)}

    def propensity(code: str) -> float:
        return 0.55 * size_rank[code] + 0.2 * appetite[code] + 0.25 * chance[code]

    return sorted(populations, key=lambda code: (propensity(code), code))


def first_pilot(curve: Curve, quantile: float) -> float:
    """The year the municipality at `quantile` (0..1) of the adoption order starts its
    first pilot; NEVER beyond the curve's ceiling."""
    if quantile >= curve.ceiling:
        return NEVER
    return curve.launch + bass_adoption_time(quantile / curve.ceiling, curve.p, curve.q)


def _path(curve: Curve, starts: float, rng: random.Random) -> Path:
    """A domain's course when its first pilot starts at `starts` (possibly NEVER)."""
    if starts == NEVER:
        considers = curve.launch + rng.uniform(2.0, 10.0) if rng.random() < 0.3 else NEVER
        return Path(considers, NEVER, NEVER, NEVER, NEVER, not_relevant=rng.random() < 0.05)
    considers = starts - rng.uniform(0.5, 2.5)
    operates = starts + curve.pilot_years * rng.uniform(0.6, 1.5)
    fails = rng.random() < curve.failure_share
    scales = operates + rng.uniform(1.0, 4.0) if rng.random() < curve.scale_share else NEVER
    if fails:
        return Path(considers, starts, NEVER, NEVER, operates)
    return Path(considers, starts, operates, scales, NEVER)


def _anchored(path: Path, anchor: Anchor) -> Path:
    """The path moved so that it agrees with a written case."""
    starts = min(path.pilots_from, anchor.started)
    considers = min(path.considers_from, starts - 0.5)
    if anchor.outcome == "stopped":
        stops = anchor.ended if anchor.ended < NEVER else anchor.started + 1.0
        return Path(considers, starts, NEVER, NEVER, max(stops, starts + 0.1))
    if anchor.outcome == "pilot":
        operates = starts + 1.5
        return Path(considers, starts, operates, path.scales_from, NEVER)
    operates = min(path.operates_from, starts + 0.8)
    scales = min(path.scales_from, operates + 1.0) if anchor.outcome == "scaled" else NEVER
    return replace(
        path,
        considers_from=considers,
        pilots_from=starts,
        operates_from=operates,
        scales_from=scales,
        discontinued_from=NEVER,
        not_relevant=False,
    )


def adoption_paths(
    seed: int,
    populations: dict[str, int],
    technologies: Sequence[tuple[str, Sequence[str], Curve]],
    anchors: Iterable[Anchor] = (),
) -> dict[Key, Path]:
    """Every (municipality, technology, domain) course, the same for the same seed.

    `populations` maps municipality codes to inhabitants; `technologies` lists each
    technology's slug, its domains and its curve."""
    rng = random.Random(f"adoption-{seed}")
    codes = sorted(populations)
    appetite = {code: rng.random() for code in codes}
    paths: dict[Key, Path] = {}
    for slug, domains, curve in sorted(technologies, key=lambda row: row[0]):
        chance = {code: rng.random() for code in codes}
        order = adoption_order(populations, appetite, chance)
        domain_list = sorted(domains)
        for position, code in enumerate(order):
            starts = first_pilot(curve, (position + 0.5) / len(order))
            lead = (
                curve.home_domain
                if curve.home_domain in domain_list and rng.random() < 0.6
                else rng.choice(domain_list)
            )
            for domain in domain_list:
                follows = 0.0 if domain == lead else rng.expovariate(1 / curve.domain_spread)
                paths[(code, slug, domain)] = _path(curve, starts + follows, rng)
    for anchor in anchors:
        key = (anchor.code, anchor.technology, anchor.domain)
        if key in paths:
            paths[key] = _anchored(paths[key], anchor)
    return paths


def calendar_day(when: float) -> dt.date:
    """The date of a decimal year (2023.5 is 2 July 2023)."""
    year = math.floor(when)
    return dt.date(year, 1, 1) + dt.timedelta(days=int((when - year) * 365))


def decimal_year(day: dt.date) -> float:
    """The decimal year of a date, the inverse of `calendar_day` to within a day."""
    return day.year + (day.toordinal() - dt.date(day.year, 1, 1).toordinal()) / 365
