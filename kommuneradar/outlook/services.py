"""The glue between the database and the projection: read the published survey rounds,
the measured gains and the programmes' enrolment once per data state, fit, project, and
keep the result in the cache under a key that changes when any of them changes."""

from __future__ import annotations

import hashlib
from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from kommuneradar.benefits import finance, gap
from kommuneradar.benefits.models import FollowUp
from kommuneradar.benefits.queries import realised_gains_by_technology
from kommuneradar.catalog.models import Technology
from kommuneradar.core import published
from kommuneradar.network.models import Enrolment, Track
from kommuneradar.places.models import Municipality
from kommuneradar.radar import placement
from kommuneradar.radar.models import ALL_DOMAINS, Blip, Edition, PlacementRules
from kommuneradar.surveys.models import Answer

from . import projection as pj

HORIZON_YEAR = gap.LABOUR_GAP_YEAR
GAP_EMPLOYEES = gap.LABOUR_GAP_EMPLOYEES
MEASURED_ENOUGH = gap.UNCERTAIN_BELOW
CACHE_SECONDS = 24 * 3600
CACHE_VERSION = "2"
# How long a queued fit keeps others from queueing another one for the same data state: a
# fit whose worker died is asked for again after this.
FIT_SECONDS = 30 * 60

Key = tuple[int, int | None]


def fingerprint() -> str:
    """What the outlook depends on, as a short hash: the published radar editions (a new
    round or revision changes them), the published projects' follow-ups (the gains), the
    programmes' enrolments, and the placement rules (the ring years). Every one of them
    moves the published-data version when it changes, so the hash is read once per version
    (four queries) and then from the cache."""
    return published.cached("outlook-fingerprint", (), _fingerprint)


def _fingerprint() -> str:
    editions = Edition.objects.filter(status=Edition.Status.PUBLISHED).aggregate(
        count=Count("id"), last=Max("id"), published=Max("published_at")
    )
    follow_ups = FollowUp.objects.filter(project__published=True).aggregate(
        count=Count("id"), last=Max("id"), hours=Sum("hours_freed"), on=Max("measured_on")
    )
    enrolments = Enrolment.objects.enrolled().aggregate(
        count=Count("id"), last=Max("id"), tracks=Count("tracks")
    )
    rules = list(
        PlacementRules.objects.order_by("pk").values_list(
            "klar_from", "afproev_from", "hold_oeje_from", "min_respondents"
        )[:1]
    )
    text = repr(
        (
            CACHE_VERSION,
            sorted(editions.items()),
            sorted(follow_ups.items()),
            sorted(enrolments.items()),
            rules,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class TechnologyFacts:
    """What the page needs of a technology besides its projection (no labels: those are
    read from the catalogue in the visitor's language)."""

    technology_id: int
    quadrant_id: int
    maturity: float | None
    ring: str
    gain_per_1000: tuple[float, float, float] | None
    measured_projects: int
    programme_rate: float | None


@dataclass
class State:
    """Everything fitted from one data state (cached)."""

    key: str = ""
    years: list[int] = field(default_factory=list)
    step_years: int = 1
    pairs_used: int = 0
    pairs_left_out: int = 0
    fitted: dict[Key, pj.Fitted] = field(default_factory=dict)
    facts: dict[int, TechnologyFacts] = field(default_factory=dict)
    latest_stage: dict[int, dict[int, int]] = field(default_factory=dict)
    populations: dict[int, int] = field(default_factory=dict)
    backtest: dict[int, pj.BacktestRow] = field(default_factory=dict)
    backtest_years: tuple[int, int] | None = None
    programme_tracks: int = 0
    programme_rate: float | None = None
    rules: placement.Rules = field(default_factory=placement.Rules)
    # Technology id -> (survey year, diffusion share over all domains) of every round.
    history: dict[int, list[tuple[int, float]]] = field(default_factory=dict)

    @property
    def latest_year(self) -> int | None:
        return self.years[-1] if self.years else None

    @property
    def steps(self) -> int:
        latest = self.latest_year
        return 0 if latest is None else pj.steps_to(latest, self.step_years, HORIZON_YEAR)

    @property
    def horizon_year(self) -> int | None:
        latest = self.latest_year
        return None if latest is None else latest + self.steps * self.step_years


# Rows of `_stages`: (technology, domain or None for all domains) -> the municipalities
# that answered in any of the years asked for, ordered by their course (their stage in each
# year, coded: projection.course_code), and the runs (code, start, stop) of them that share
# one course.
Courses = dict[Key, tuple["array[int]", list[tuple[int, int, int]]]]


def _stages(years: Sequence[int]) -> Courses:
    """Every municipality's course per technology and domain over `years` (at most
    pj.COURSE_ROUNDS), one row per technology, domain and municipality from the database
    (one query); over all domains a municipality counts by its most advanced answer each
    year, computed by the database too. pj.STATES are in the order of advancement, so the
    most advanced is the highest index (and ABSENT is below all)."""
    index = Case(
        *(When(stage=stage, then=Value(position)) for stage, position in pj.INDEX.items()),
        output_field=IntegerField(),
    )
    columns = {
        f"year_{number}": Coalesce(
            Max(Case(When(response__round__year=year, then=index), output_field=IntegerField())),
            Value(pj.ABSENT),
        )
        for number, year in enumerate(years)
    }
    rows = (
        Answer.objects.filter(response__round__year__in=years)
        .order_by()
        .values("technology_id", "response__domain_id", "response__municipality_id")
        .annotate(**columns)
        .values_list("technology_id", "response__domain_id", "response__municipality_id", *columns)
    )
    pivot, params = rows.query.sql_with_params()
    names = ", ".join(columns)

    def coded(template: str) -> str:
        return " + ".join(
            f"CAST({template.format(name)} + 1 AS BIGINT) * {1 << (pj.COURSE_BITS * number)}"
            for number, name in enumerate(columns)
        )

    # Only the ORM's own SQL, column names and integers go into the text; the values are
    # the ORM's parameters.
    sql = (
        f"WITH pivot (technology_id, domain_id, municipality_id, {names}) AS ({pivot}) "  # noqa: S608
        f"SELECT technology_id, domain_id, municipality_id, {coded('{}')} FROM pivot "
        f"UNION ALL SELECT technology_id, NULL, municipality_id, {coded('MAX({})')} "
        "FROM pivot GROUP BY technology_id, municipality_id "
        "ORDER BY 1, 2, 4"
    )
    found: Courses = {}
    starts: dict[Key, list[tuple[int, int]]] = {}
    key: Key | None = None
    members: array[int] = array("q")
    runs: list[tuple[int, int]] = []
    code = -1
    # The rows as the driver gives them (plain integers; no per-row conversion), grouped by
    # technology and domain and ordered by course.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(10000):
            for technology_id, domain_id, municipality_id, course in batch:
                if key is None or key[0] != technology_id or key[1] != domain_id:
                    key = (technology_id, domain_id)
                    members = array("q")
                    runs = []
                    found[key] = (members, [])
                    starts[key] = runs
                    code = -1
                if course != code:
                    code = course
                    runs.append((course, len(members)))
                members.append(municipality_id)
    for key, (members, spans) in found.items():
        begun = starts[key]
        ends = [start for _code, start in begun[1:]] + [len(members)]
        spans.extend((code, start, stop) for (code, start), stop in zip(begun, ends, strict=True))
    return found


def _answered(code: int, positions: Sequence[int]) -> bool:
    return any(stage != pj.ABSENT for stage in pj.course_stages(code, positions))


def _units(
    positions: Sequence[int],
    stages: Courses,
    quadrants: Mapping[int, int],
    populations: Mapping[int, int],
) -> tuple[list[pj.Courses], dict[Key, list[Key]]]:
    """Units with their municipalities' courses over the rounds at `positions` (in the
    years of `stages`; moves between consecutive ones) and their stages in the last one;
    the groups they pool with (a technology over all domains with its family; one domain
    with the technology over all domains)."""
    rounds = tuple(positions)
    keys = sorted(
        (
            key
            for key, (_members, runs) in stages.items()
            if any(_answered(code, rounds) for code, _start, _stop in runs)
        ),
        key=repr,
    )
    units: list[pj.Courses] = []
    groups: dict[Key, list[Key]] = defaultdict(list)
    for key in keys:
        technology_id, domain_id = key
        if technology_id not in quadrants:
            continue
        group: Key = (
            (-quadrants[technology_id], None) if domain_id is None else (technology_id, None)
        )
        members, runs = stages[key]
        units.append(pj.Courses(key, group, members, runs, rounds, populations))
        if domain_id is None:
            groups[group].append(key)
    return units, groups


def _history(years: Sequence[int], stages: Courses) -> dict[int, list[tuple[int, float]]]:
    """Each technology's diffusion share over all domains in every one of `years`."""
    history: dict[int, list[tuple[int, float]]] = {}
    for (technology_id, domain_id), (_members, runs) in stages.items():
        if domain_id is not None:
            continue
        for position, year in enumerate(years):
            counts = [0.0] * pj.SIZE
            answered = False
            for code, start, stop in runs:
                (stage,) = pj.course_stages(code, (position,))
                if stage != pj.ABSENT:
                    counts[stage] += stop - start
                    answered = True
            if answered:
                history.setdefault(technology_id, []).append((year, pj.diffusion_of(counts)))
    return history


def _latest_stage(units: Sequence[pj.Courses]) -> dict[int, dict[int, int]]:
    """Technology -> municipality -> its most advanced stage in the latest round."""
    return {unit.key[0]: unit.latest for unit in units if unit.key[1] is None}


def _programme_rates(municipalities: int) -> tuple[dict[int, float], float | None, int]:
    """The share of all municipalities that enrolled in each past programme track, per
    technology (mean over its tracks) and over all tracks (two queries)."""
    enrolled = dict(
        Track.objects.filter(technology__isnull=False)
        .annotate(
            enrolled=Count("enrolments", filter=~Q(enrolments__status=Enrolment.Status.WITHDRAWN))
        )
        .values_list("id", "enrolled")
    )
    technology_of = dict(
        Track.objects.filter(technology__isnull=False).values_list("id", "technology_id")
    )
    if not enrolled or municipalities <= 0:
        return {}, None, 0
    by_technology: dict[int, list[float]] = defaultdict(list)
    for track_id, count in enrolled.items():
        by_technology[technology_of[track_id]].append(count / municipalities)
    every = [rate for rates in by_technology.values() for rate in rates]
    return (
        {tid: sum(rates) / len(rates) for tid, rates in by_technology.items()},
        sum(every) / len(every),
        len(every),
    )


def fit_state() -> State:
    """Read and fit everything (the expensive part; callers go through `state()`)."""
    state = State(rules=PlacementRules.current())
    # The latest pj.COURSE_ROUNDS rounds (21): a course of stages is coded in 64 bits.
    state.years = sorted(
        set(
            Edition.objects.filter(status=Edition.Status.PUBLISHED).values_list(
                "round__year", flat=True
            )
        )
    )[-pj.COURSE_ROUNDS :]
    if not state.years:
        return state
    gaps = [after - before for before, after in zip(state.years, state.years[1:], strict=False)]
    state.step_years = min(gaps) if gaps else 1
    state.populations = dict(Municipality.objects.values_list("id", "population"))
    quadrants = dict(Technology.objects.values_list("id", "quadrant_id"))
    stages = _stages(state.years)
    # Only rounds one step apart are compared; a longer gap breaks the chain there.
    chain = _chain(state.years, state.step_years)
    positions = [state.years.index(year) for year in chain]
    state.pairs_used = len(chain) - 1 if chain else 0
    state.pairs_left_out = len(gaps) - state.pairs_used
    units, groups = _units(positions, stages, quadrants, state.populations)
    municipalities = sorted(state.populations)
    state.fitted = pj.fit(units, groups, municipalities)
    state.history = _history(state.years, stages)
    state.latest_stage = _latest_stage(units)
    if len(chain) >= 3:
        earlier, _ = _units(positions[:-1], stages, quadrants, state.populations)
        back = pj.fit(earlier, groups, municipalities, resamples=0)
        for key, fitted in back.items():
            if key[1] is not None or key not in state.fitted:
                continue
            state.backtest[key[0]] = pj.backtest_row(
                fitted.point.counts_today,
                state.fitted[key].point.counts_today,
                fitted.point.transitions.matrix,
            )
        state.backtest_years = (chain[-2], chain[-1])
    blips = {
        blip.technology_id: blip
        for blip in Blip.objects.filter(
            edition__status=Edition.Status.PUBLISHED,
            edition__scope=ALL_DOMAINS,
            edition__round__year=state.years[-1],
        ).order_by("edition__revision")
    }
    gains = realised_gains_by_technology()
    rates, state.programme_rate, state.programme_tracks = _programme_rates(len(state.populations))
    for technology_id, quadrant_id in quadrants.items():
        if (technology_id, None) not in state.fitted:
            continue
        blip = blips.get(technology_id)
        measured = gains.get(technology_id, [])
        state.facts[technology_id] = TechnologyFacts(
            technology_id=technology_id,
            quadrant_id=quadrant_id,
            maturity=blip.maturity if blip is not None else None,
            ring="" if blip is None or blip.suppressed else blip.ring,
            gain_per_1000=finance.quartiles(measured),
            measured_projects=len(measured),
            programme_rate=rates.get(technology_id, state.programme_rate),
        )
    return state


def _chain(years: Sequence[int], step_years: int) -> list[int]:
    """The latest run of rounds each `step_years` apart."""
    chain = [years[-1]] if years else []
    for year in reversed(years[:-1]):
        if chain[0] - year != step_years:
            break
        chain.insert(0, year)
    return chain


# The fitting happens once per data state, in a background task (`tasks.fit`), never in a
# request: at scale it takes longer than a request may. The fitted state (every bootstrap
# draw, several MB) goes to the shared cache for every process, and each process keeps the
# latest one it read, so that a page does not unpickle it each time; the results (small)
# are cached per scenario the same way.
_fitted: dict[str, State] = {}
# Results already read in this process, so a cached page does not unpickle them each time.
_results: dict[str, Result] = {}
RESULTS_KEPT = 32


def _shared_key(name: str, fingerprint_: str) -> str:
    return published.shared_key(f"outlook:{name}", CACHE_VERSION, fingerprint_)


def _remember(found: State) -> State:
    if found.key not in _fitted:
        _fitted.clear()
        _results.clear()
        _fitted[found.key] = found
    return _fitted[found.key]


def _stored(key: str) -> State | None:
    """The state fitted for the data state `key`, by this process or another one."""
    found = _fitted.get(key)
    if found is None:
        shared = cache.get(_shared_key("state", key))
        if isinstance(shared, State) and shared.key == key:
            found = _remember(shared)
    return found


def share(found: State) -> None:
    """Put a fitted state where every process finds it."""
    cache.set(_shared_key("state", found.key), found, CACHE_SECONDS)


def _fit(key: str) -> State:
    found = fit_state()
    found.key = key
    share(found)
    return _remember(found)


def state() -> tuple[str, State]:
    """The fitted state for the current data, fitted here if no process has fitted it yet
    (the background task, commands and tests; pages use `ready()`)."""
    key = fingerprint()
    return key, _stored(key) or _fit(key)


def fit_and_share() -> State:
    """Fit the current data state for every process, with the baseline's result (the
    background task `tasks.fit`; also `manage.py fit_outlook`)."""
    _key, found = state()
    _result(found, pj.BASELINE, frozenset())
    return found


def request_fit(key: str | None = None) -> None:
    """Queue the fit of the current data state (`key`, its fingerprint) unless it is fitted
    or queued already (a lock in the shared cache, held until the task is done or for
    FIT_SECONDS at most, so that a fit whose worker died is asked for again later)."""
    from .tasks import fit  # the task module imports this one

    key = key or fingerprint()
    if _stored(key) is None and cache.add(_shared_key("fitting", key), True, FIT_SECONDS):
        fit.enqueue(key)


def release(key: str) -> None:
    cache.delete(_shared_key("fitting", key))


def ready() -> State | None:
    """The fitted state for the current data, or None while it is being fitted. The first
    caller that finds it missing fits it at once when there are few places
    (OUTLOOK_FIT_IN_REQUEST_MAX), and otherwise queues the fit (with the immediate task
    backend it runs at once too, so the state is there when this returns)."""
    key = fingerprint()
    found = _stored(key)
    if found is None and _small():
        found = _fit(key)
    elif found is None:
        request_fit(key)
        found = _stored(key)
    return found


def _small() -> bool:
    """Few enough places that fitting takes a second or so: fitted in the request, as the
    first reader after a publication would otherwise wait for a worker anyway."""
    return Municipality.objects.count() <= settings.OUTLOOK_FIT_IN_REQUEST_MAX


class Fitting(Exception):
    """The outlook of the current data is being fitted in the background: ask again in a
    minute."""


def _ready() -> State:
    found = ready()
    if found is None:
        raise Fitting
    return found


def forget() -> None:
    """Drop the fitted state kept in this process (tests, after changing data outside a
    change of fingerprint)."""
    _fitted.clear()
    _results.clear()


# -- Results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TechnologyOutlook:
    """One technology over all domains: its projection, the rings it reaches, the FTE its
    additional users would free, and how well the method predicted its latest round."""

    technology_id: int
    projection: pj.Projection
    ring_years: dict[str, int]
    gain: pj.Gain
    backtest: pj.BacktestRow | None
    facts: TechnologyFacts
    scenario_applies: bool
    use_probability: pj.Vector

    @property
    def in_total(self) -> bool:
        return self.gain.fte is not None and self.gain.measured_projects >= MEASURED_ENOUGH


@dataclass(frozen=True)
class DomainOutlook:
    """One technology in one domain."""

    technology_id: int
    domain_id: int
    projection: pj.Projection
    gain: pj.Gain


@dataclass(frozen=True)
class Total:
    fte: float
    low: float
    high: float
    technologies: int

    @property
    def share_of_gap(self) -> float:
        return self.fte / GAP_EMPLOYEES

    @property
    def low_share(self) -> float:
        return self.low / GAP_EMPLOYEES

    @property
    def high_share(self) -> float:
        return self.high / GAP_EMPLOYEES


@dataclass(frozen=True)
class Result:
    """The outlook under one scenario."""

    scenario: pj.Scenario
    programme_technologies: frozenset[int]
    technologies: list[TechnologyOutlook]
    domains: list[DomainOutlook]
    total: Total
    domain_totals: dict[int, Total]
    backtest_error: float | None
    backtest_naive_error: float | None

    @property
    def headline(self) -> list[TechnologyOutlook]:
        return [row for row in self.technologies if row.in_total]

    @property
    def apart(self) -> list[TechnologyOutlook]:
        return [row for row in self.technologies if not row.in_total]

    @property
    def better_than_naive(self) -> bool | None:
        if self.backtest_error is None or self.backtest_naive_error is None:
            return None
        return self.backtest_error < self.backtest_naive_error


def _total(gains: Sequence[pj.Gain]) -> Total:
    counted = [g for g in gains if g.fte is not None]
    return Total(
        fte=sum(g.fte or 0.0 for g in counted),
        low=sum(g.low or 0.0 for g in counted),
        high=sum(g.high or 0.0 for g in counted),
        technologies=len(counted),
    )


def compute(
    fitted: State,
    scenario: pj.Scenario = pj.BASELINE,
    programme: frozenset[int] = frozenset(),
    with_domains: bool = True,
) -> Result:
    """The outlook of every technology (and, `with_domains`, every technology in every
    domain) under `scenario`; its programme rate applies to the technologies in `programme`
    only (each at its own historical rate, or the average over all tracks)."""
    latest = fitted.latest_year or 0
    rows: list[TechnologyOutlook] = []
    scenario_of: dict[int, pj.Scenario] = {}
    for technology_id, facts in fitted.facts.items():
        applies = technology_id in programme
        rate = (facts.programme_rate or 0.0) if applies else 0.0
        scenario_of[technology_id] = pj.Scenario(scenario.speed, scenario.pilots_adopt, rate)
    for technology_id, facts in fitted.facts.items():
        own = scenario_of[technology_id]
        projected = pj.project(
            fitted.fitted[(technology_id, None)], latest, fitted.step_years, fitted.steps, own
        )
        rows.append(
            TechnologyOutlook(
                technology_id=technology_id,
                projection=projected,
                ring_years=(
                    pj.ring_years(projected, facts.maturity, fitted.rules)
                    if facts.maturity is not None
                    else {}
                ),
                gain=pj.gain(
                    projected.additional_population,
                    facts.gain_per_1000 if facts.measured_projects else None,
                    facts.measured_projects,
                ),
                backtest=fitted.backtest.get(technology_id),
                facts=facts,
                scenario_applies=technology_id in programme,
                use_probability=pj.use_probability(
                    fitted.fitted[(technology_id, None)].point.transitions.matrix,
                    fitted.steps,
                    own,
                ),
            )
        )
    rows.sort(key=lambda row: (-(row.gain.fte or 0.0), -row.projection.horizon.diffusion.point))
    domains: list[DomainOutlook] = []
    by_domain: dict[int, list[pj.Gain]] = defaultdict(list)
    for (technology_id, domain_id), fitted_unit in fitted.fitted.items():
        if not with_domains or domain_id is None or technology_id not in fitted.facts:
            continue
        facts = fitted.facts[technology_id]
        projected = pj.project(
            fitted_unit, latest, fitted.step_years, fitted.steps, scenario_of[technology_id]
        )
        domain_gain = pj.gain(
            projected.additional_population,
            facts.gain_per_1000 if facts.measured_projects >= MEASURED_ENOUGH else None,
            facts.measured_projects,
        )
        domains.append(DomainOutlook(technology_id, domain_id, projected, domain_gain))
        by_domain[domain_id].append(domain_gain)
    backtests = [row.backtest for row in rows if row.backtest is not None]
    return Result(
        scenario=scenario,
        programme_technologies=programme,
        technologies=rows,
        domains=domains,
        total=_total([row.gain for row in rows if row.in_total]),
        domain_totals={domain_id: _total(g) for domain_id, g in by_domain.items()},
        backtest_error=pj.mean_absolute(b.error for b in backtests),
        backtest_naive_error=pj.mean_absolute(b.naive_error for b in backtests),
    )


def _result(fitted: State, scenario: pj.Scenario, programme: frozenset[int]) -> Result:
    """The result under `scenario`, from the shared cache when it was computed for this
    data state. A scenario is projected per technology only (the domains are the
    baseline's)."""
    baseline = scenario == pj.BASELINE and not programme
    name = _shared_key(
        "result",
        f"{fitted.key}:{scenario.speed}:{scenario.pilots_adopt}:"
        + ",".join(str(tid) for tid in sorted(programme)),
    )
    found = _results.get(name) or cache.get(name)
    if not isinstance(found, Result):
        found = compute(fitted, scenario, programme, with_domains=baseline)
        cache.set(name, found, CACHE_SECONDS)
    if len(_results) >= RESULTS_KEPT:
        _results.clear()
    _results[name] = found
    return found


def outlook(
    scenario: pj.Scenario = pj.BASELINE, programme: frozenset[int] = frozenset()
) -> tuple[State, Result]:
    """The fitted state and the result under `scenario`, cached per data state (Fitting
    while the state is being fitted)."""
    fitted = _ready()
    return fitted, _result(fitted, scenario, programme)


def with_scenario(
    scenario: pj.Scenario | None, programme: frozenset[int] = frozenset()
) -> tuple[State, Result, Result | None]:
    """The fitted state, the baseline and (when one is asked for) the scenario's result,
    checking the data state once (Fitting while the state is being fitted)."""
    fitted = _ready()
    baseline = _result(fitted, pj.BASELINE, frozenset())
    if scenario is None:
        return fitted, baseline, None
    return fitted, baseline, _result(fitted, scenario, programme)


@dataclass(frozen=True)
class MunicipalityRow:
    """What one technology could mean for one municipality by the horizon: where it stands,
    the chance it uses the technology then (from how municipalities at its stage have moved),
    and the FTE it would free per year if it did (the measured gain scaled to its
    inhabitants)."""

    technology_id: int
    stage: str
    using: bool
    probability: float
    fte_if_adopted: float | None
    fte_if_adopted_low: float | None
    fte_if_adopted_high: float | None
    measured_projects: int

    @property
    def expected_fte(self) -> float | None:
        if self.fte_if_adopted is None or self.using:
            return None
        return self.probability * self.fte_if_adopted


def municipality_outlook(
    fitted: State, result: Result, municipality_id: int
) -> list[MunicipalityRow]:
    """The municipality's outlook per technology it answered about in the latest round,
    those it does not use first, by expected FTE."""
    population = fitted.populations.get(municipality_id, 0)
    rows = []
    for row in result.technologies:
        stage = fitted.latest_stage.get(row.technology_id, {}).get(municipality_id)
        if stage is None:
            continue
        spread = row.facts.gain_per_1000 if row.facts.measured_projects else None
        low = middle = high = None
        if spread is not None:
            low, middle, high = (finance.potential_fte(g, population) for g in spread)
        rows.append(
            MunicipalityRow(
                technology_id=row.technology_id,
                stage=pj.STATES[stage],
                using=stage in pj.USING,
                probability=row.use_probability[stage],
                fte_if_adopted=middle,
                fte_if_adopted_low=low,
                fte_if_adopted_high=high,
                measured_projects=row.facts.measured_projects,
            )
        )
    rows.sort(key=lambda r: (r.using, -(r.expected_fte or 0.0), -r.probability))
    return rows
