"""Where diffusion is heading: stage transitions, projections to 2030 with a bootstrap
band, the backtest against "no change", and the FTE they would free (pure, no Django).

The model is a Markov chain on the survey's adoption stages. From every pair of
consecutive survey rounds one step apart, each municipality that answered both gives one
observed move (from its stage in the first round to its stage in the second, possibly the
same). Counted per technology, the moves give the probability of going from each stage to
each other stage in one step. A stage that a technology rarely starts from borrows from a
wider group (the technology's family, or over all domains for one domain): each row is
own × w + group × (1 − w) with w = n / (n + PRIOR_MOVES), n the moves observed from that
stage. A stage nobody was ever seen leaving keeps its municipalities where they are.

One step is the interval between consecutive rounds (`step_years`, normally one year);
rounds further apart than the shortest interval are left out of the estimate and said so,
rather than taking a matrix root that may not be a probability matrix.

Shares are 0..1; FTE are full-time equivalents freed per year (1,924 hours each);
populations are inhabitants.
"""

from __future__ import annotations

import itertools
import math
import operator
import random
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from kommuneradar.radar import placement
from kommuneradar.surveys import vocabulary as v

# The states of the chain, in the order of vocabulary.ADVANCEMENT (least advanced first).
STATES: tuple[str, ...] = tuple(sorted(v.STAGES, key=lambda stage: v.ADVANCEMENT[stage]))
SIZE = len(STATES)
INDEX: dict[str, int] = {stage: position for position, stage in enumerate(STATES)}
USING = tuple(INDEX[stage] for stage in STATES if stage in v.USING_STAGES)
NOT_RELEVANT = INDEX[v.NOT_RELEVANT]
PILOTING = INDEX[v.PILOTING]
IN_OPERATION = INDEX[v.IN_OPERATION]
# Stages a partnership programme can move to "in operation": interested or not yet, but
# neither using it, nor finding it not relevant, nor having dropped it.
PROGRAMME_FROM = tuple(INDEX[stage] for stage in (v.NOT_CONSIDERING, v.CONSIDERING, v.PILOTING))

USING_VECTOR: tuple[float, ...] = tuple(1.0 if i in USING else 0.0 for i in range(SIZE))

PRIOR_MOVES = 20.0
BAND = 0.80
RESAMPLES = 60
SEED = 2030

Matrix = tuple[tuple[float, ...], ...]
Vector = tuple[float, ...]
Counts = list[list[float]]


def zero_counts() -> Counts:
    return [[0.0] * SIZE for _ in range(SIZE)]


def identity() -> Matrix:
    return IDENTITY


IDENTITY: Matrix = tuple(tuple(1.0 if i == j else 0.0 for j in range(SIZE)) for i in range(SIZE))


def count_moves(moves: Iterable[tuple[str, str]]) -> Counts:
    """Moves (stage before, stage after) counted into a from × to table."""
    counts = zero_counts()
    for before, after in moves:
        counts[INDEX[before]][INDEX[after]] += 1
    return counts


def add_counts(tables: Iterable[Counts]) -> Counts:
    total = zero_counts()
    for table in tables:
        for i in range(SIZE):
            row, into = table[i], total[i]
            for j in range(SIZE):
                into[j] += row[j]
    return total


@dataclass(frozen=True)
class Transitions:
    """One step's probability of moving from each stage (row) to each stage (column), and
    per row the weight of the technology's own observations (0..1) and how many there were."""

    matrix: Matrix
    own_weight: Vector
    observed: Vector

    def weight_for(self, distribution: Sequence[float]) -> float:
        """The weight of own observations, averaged over where the municipalities are now."""
        total = sum(distribution)
        if total <= 0:
            return 0.0
        return sum(w * d for w, d in zip(self.own_weight, distribution, strict=True)) / total


def estimate(own: Counts, group: Matrix | None = None, prior: float = PRIOR_MOVES) -> Transitions:
    """Transition probabilities from counted moves, each row shrunk towards `group` (a
    wider group's matrix) with weight n / (n + prior) on its own n observed moves; without a
    group, or where neither has seen a move from a stage, that stage keeps its municipalities."""
    base = group if group is not None else identity()
    rows: list[Vector] = []
    weights: list[float] = []
    observed: list[float] = []
    for i in range(SIZE):
        n = sum(own[i])
        weight = n / (n + prior) if n > 0 and group is not None else (1.0 if n > 0 else 0.0)
        own_row = [count / n for count in own[i]] if n > 0 else [0.0] * SIZE
        row = [weight * own_row[j] + (1 - weight) * base[i][j] for j in range(SIZE)]
        rows.append(_normalised(row, i))
        weights.append(weight)
        observed.append(n)
    return Transitions(tuple(rows), tuple(weights), tuple(observed))


def _normalised(row: Sequence[float], stay: int) -> Vector:
    total = sum(row)
    if total <= 0:
        return tuple(1.0 if j == stay else 0.0 for j in range(SIZE))
    return tuple(value / total for value in row)


def to_matrix(counts: Counts) -> Matrix:
    """Counted moves as probabilities, unpooled (a stage never left keeps its municipalities)."""
    return estimate(counts).matrix


def faster(matrix: Matrix, factor: float) -> Matrix:
    """`factor` times as many municipalities leave each stage in a step (I + f(P − I)),
    capped per stage where that would move more than all of them."""
    if factor < 0:
        raise ValueError("a speed factor is not negative")
    rows = []
    for i, row in enumerate(matrix):
        leaving = 1.0 - row[i]
        f = factor if leaving <= 0 or factor * leaving <= 1.0 else 1.0 / leaving
        rows.append(
            tuple((1.0 - f * leaving) if j == i else f * value for j, value in enumerate(row))
        )
    return tuple(rows)


def step(distribution: Sequence[float], matrix: Matrix) -> Vector:
    """The distribution over stages one step later."""
    return _apply(transposed(matrix), distribution)


def transposed(matrix: Matrix) -> Matrix:
    return tuple(zip(*matrix, strict=True))


def _apply(matrix: Matrix, column: Sequence[float]) -> Vector:
    """matrix × column."""
    return tuple(sum(map(operator.mul, row, column)) for row in matrix)


def shares(counts: Sequence[float]) -> Vector:
    """Counts per stage as shares summing to 1 (all zero when there are none)."""
    total = sum(counts)
    return tuple(c / total for c in counts) if total > 0 else tuple(0.0 for _ in counts)


def diffusion_of(distribution: Sequence[float]) -> float:
    """The diffusion share of a stage distribution: in operation or scaled, of those that do
    not find the technology irrelevant (BRIEF.md's rule)."""
    relevant = sum(distribution) - distribution[NOT_RELEVANT]
    if relevant <= 1e-12:
        return 0.0
    return min(1.0, max(0.0, sum(distribution[i] for i in USING) / relevant))


@dataclass(frozen=True)
class Scenario:
    """A "what if": transitions `speed` times as fast; every pilot in operation from the
    next step; a share of the non-users moved into operation by a partnership programme."""

    speed: float = 1.0
    pilots_adopt: bool = False
    programme_rate: float = 0.0


BASELINE = Scenario()


def start_shift(scenario: Scenario) -> Matrix:
    """Where each stage's municipalities stand at the start under the scenario's one-off
    moves (pilots adopting, programme enrolment), as a stage × stage matrix."""
    if not scenario.pilots_adopt and scenario.programme_rate <= 0:
        return IDENTITY
    rows = [list(row) for row in IDENTITY]
    if scenario.pilots_adopt:
        rows[PILOTING][PILOTING] = 0.0
        rows[PILOTING][IN_OPERATION] = 1.0
    if scenario.programme_rate > 0:
        rate = min(1.0, scenario.programme_rate)
        for i in PROGRAMME_FROM:
            moved = rows[i][i] * rate
            rows[i][i] -= moved
            rows[i][IN_OPERATION] += moved
    return tuple(tuple(row) for row in rows)


def path(
    start: Sequence[float], matrix: Matrix, steps: int, scenario: Scenario = BASELINE
) -> list[Vector]:
    """The stage distribution today and after each of `steps` steps. The scenario's
    one-off moves happen in the first step."""
    moved = faster(matrix, scenario.speed) if scenario.speed != 1.0 else matrix
    shift = start_shift(scenario)
    columns = transposed(moved)
    current = tuple(start)
    result = [current]
    for number in range(steps):
        if number == 0 and shift is not IDENTITY:
            current = step(current, shift)
        current = _apply(columns, current)
        result.append(current)
    return result


def use_probability(matrix: Matrix, steps: int, scenario: Scenario = BASELINE) -> Vector:
    """Per stage today: the probability that a municipality there uses the technology
    after `steps` steps."""
    moved = faster(matrix, scenario.speed) if scenario.speed != 1.0 else matrix
    result: Vector = USING_VECTOR
    for _ in range(steps):
        result = _apply(moved, result)
    shift = start_shift(scenario)
    if steps > 0 and shift is not IDENTITY:
        result = _apply(shift, result)
    return result


def additional_population(
    population_by_stage: Sequence[float], probability: Sequence[float]
) -> float:
    """Inhabitants of the municipalities expected to use the technology at the horizon,
    less those that use it today (negative where users drop it)."""
    return sum(
        population_by_stage[i] * (probability[i] - (1.0 if i in USING else 0.0))
        for i in range(SIZE)
    )


# -- Observations and the bootstrap --------------------------------------------------------


Observation = tuple[list[tuple[int, int]], int | None, Sequence[int]]


class _Observed:
    """What a unit counts, from its observations: (moves, stage in the latest round or None,
    the municipalities that share them)."""

    population: Mapping[int, int]

    def observations(self) -> Iterator[Observation]:
        raise NotImplementedError

    def counts(self, weights: Mapping[int, int] | None = None) -> Counts:
        flat = [0.0] * (SIZE * SIZE)
        for moves, _latest, members in self.observations():
            w = len(members) if weights is None else sum(weights.get(m, 0) for m in members)
            if w:
                for i, j in moves:
                    flat[i * SIZE + j] += w
        return [flat[i * SIZE : (i + 1) * SIZE] for i in range(SIZE)]

    def today(self, weights: Mapping[int, int] | None = None) -> tuple[Vector, Vector]:
        """Municipalities and inhabitants per stage in the last round."""
        count = [0.0] * SIZE
        people = [0.0] * SIZE
        for _moves, stage, members in self.observations():
            if stage is None:
                continue
            for municipality in members:
                w = 1 if weights is None else weights.get(municipality, 0)
                if w:
                    count[stage] += w
                    people[stage] += w * self.population.get(municipality, 0)
        return tuple(count), tuple(people)


@dataclass
class Unit(_Observed):
    """One projected thing (a technology over all domains, or in one domain): the moves each
    municipality made, where each municipality stands in the latest round and its population."""

    key: tuple[int, int | None]
    group_key: tuple[int, int | None] | None
    moves: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    latest: dict[int, int] = field(default_factory=dict)
    population: dict[int, int] = field(default_factory=dict)

    def observations(self) -> Iterator[Observation]:
        """(moves, stage in the latest round or None, the municipality) per municipality."""
        for municipality in self.moves.keys() | self.latest.keys():
            yield self.moves.get(municipality, []), self.latest.get(municipality), (municipality,)


# A municipality's course: its stage in each round, coded in one integer of COURSE_BITS
# bits per round (the first round in the lowest bits), each holding 1 + the stage's index,
# or 0 for no answer that round.
COURSE_BITS = SIZE.bit_length()
COURSE_MASK = (1 << COURSE_BITS) - 1
# Rounds a course can hold in a signed 64-bit integer (the database computes the codes).
COURSE_ROUNDS = 63 // COURSE_BITS
ABSENT = -1


def course_code(stages: Sequence[int]) -> int:
    """The code of a course of stage indices (ABSENT: no answer that round)."""
    code = 0
    for number, stage in enumerate(stages):
        code |= (stage + 1) << (COURSE_BITS * number)
    return code


def course_stages(code: int, rounds: Sequence[int]) -> tuple[int, ...]:
    """The stage indices of a coded course in `rounds` (positions in the course), ABSENT
    where it has no answer."""
    return tuple(((code >> (COURSE_BITS * r)) & COURSE_MASK) - 1 for r in rounds)


def course_observations(
    code: int, rounds: Sequence[int]
) -> tuple[list[tuple[int, int]], int | None]:
    """The moves between consecutive `rounds` answered in both, and the stage in the last."""
    stages = course_stages(code, rounds)
    moves = [
        (before, after)
        for before, after in itertools.pairwise(stages)
        if before != ABSENT and after != ABSENT
    ]
    latest = stages[-1] if stages and stages[-1] != ABSENT else None
    return moves, latest


@dataclass
class Courses(_Observed):
    """A unit's observations grouped by course, the compact form of `Unit` for many
    municipalities: `municipalities` ordered so that each run (code, start, stop) of them
    shares one coded course; `rounds` are the positions in the course that count, in order
    (moves between consecutive ones); `population` is every municipality's (shared)."""

    key: tuple[int, int | None]
    group_key: tuple[int, int | None] | None
    municipalities: array[int]
    runs: list[tuple[int, int, int]]
    rounds: tuple[int, ...]
    population: Mapping[int, int]

    def observations(self) -> Iterator[Observation]:
        """(moves, stage in the last round or None, the municipalities) per course."""
        for code, start, stop in self.runs:
            moves, latest = course_observations(code, self.rounds)
            if moves or latest is not None:
                yield moves, latest, self.municipalities[start:stop]

    @property
    def latest(self) -> dict[int, int]:
        """Each municipality's stage in the last round, where it answered."""
        found: dict[int, int] = {}
        for _moves, latest, members in self.observations():
            if latest is not None:
                found.update(dict.fromkeys(members, latest))
        return found


@dataclass(frozen=True)
class Draw:
    """One estimate: transitions, municipalities and inhabitants per stage today."""

    transitions: Transitions
    counts_today: Vector
    population_today: Vector


@dataclass(frozen=True)
class Fitted:
    """The point estimate of a unit and its bootstrap draws."""

    point: Draw
    draws: tuple[Draw, ...]


def fit(
    units: Sequence[Unit | Courses],
    groups: Mapping[tuple[int, int | None], Sequence[tuple[int, int | None]]],
    municipalities: Sequence[int],
    resamples: int = RESAMPLES,
    seed: int = SEED,
    prior: float = PRIOR_MOVES,
) -> dict[tuple[int, int | None], Fitted]:
    """Point estimates and `resamples` bootstrap estimates of every unit.

    Each draw resamples the municipalities with replacement (the same draw for every unit,
    so a group's pooled moves are re-counted from the same municipalities); `groups` maps a
    pooling group's key to the units whose moves make it. Units pool with the group named by
    their `group_key`, which is itself another unit (pooled with its own group) or a group."""
    rng = random.Random(seed)
    samples: list[dict[int, int] | None] = [None]
    for _ in range(resamples):
        drawn: dict[int, int] = {}
        for municipality in rng.choices(list(municipalities), k=len(municipalities)):
            drawn[municipality] = drawn.get(municipality, 0) + 1
        samples.append(drawn)
    by_key = {unit.key: unit for unit in units}
    results: dict[tuple[int, int | None], list[Draw]] = {unit.key: [] for unit in units}
    tables = weighted_tables(units, samples)
    for number, weights in enumerate(samples):
        if tables is None:
            counted = {unit.key: unit.counts(weights) for unit in units}
            today = {unit.key: unit.today(weights) for unit in units}
        else:
            counted, today = tables[number]
        group_matrices: dict[tuple[int, int | None], Matrix] = {}
        for group, members in groups.items():
            group_matrices[group] = to_matrix(
                add_counts(counted[m] for m in members if m in counted)
            )
        fitted_here: dict[tuple[int, int | None], Transitions] = {}
        for unit in units:
            _pooled(unit.key, by_key, counted, group_matrices, fitted_here, prior)
        for unit in units:
            counts_today, population_today = today[unit.key]
            results[unit.key].append(Draw(fitted_here[unit.key], counts_today, population_today))
    return {key: Fitted(draws[0], tuple(draws[1:])) for key, draws in results.items()}


Tables = tuple[
    dict[tuple[int, int | None], Counts], dict[tuple[int, int | None], tuple[Vector, Vector]]
]
EXACT_BITS = 53


def weighted_tables(
    units: Sequence[Unit | Courses], samples: Sequence[Mapping[int, int] | None]
) -> list[Tables] | None:
    """Every unit's counted moves and today's counts and inhabitants under every sample's
    weights at once (what `counts` and `today` give one sample at a time).

    Each municipality's weights in all samples are packed into one integer, a slot of
    `bits` bits per sample, so a unit is summed once over its municipalities instead of
    once per sample, and municipalities with the same observations are summed before their
    moves are counted; a slot never overflows into the next since no sum exceeds the
    largest total weight times the largest value. The sums are integers below 2**53, so
    as floats they are exactly what adding them one by one gives. None where that cannot
    be promised (negative values or sums too large): then count sample by sample."""
    if not units:
        return []
    seen: set[int] = set()
    most_moves = 1
    most_people = 1
    populations: dict[int, Mapping[int, int]] = {}
    for unit in units:
        populations[id(unit.population)] = unit.population
        for moves, _latest, members in unit.observations():
            seen.update(members)
            most_moves = max(most_moves, len(moves))
    for population in populations.values():
        for value in population.values():
            if value < 0:
                return None
            most_people = max(most_people, value)
    total_weight = 1
    for weights in samples:
        if weights is None:
            total_weight = max(total_weight, len(seen))
        else:
            if any(w < 0 for w in weights.values()):
                return None
            total_weight = max(total_weight, sum(weights.values()))
    if total_weight * max(most_moves, most_people) >= 2**EXACT_BITS:
        return None
    count = len(samples)
    # Moves and heads are counted in narrow slots, inhabitants in wide ones.
    narrow = _Packing(total_weight * most_moves, count)
    wide = _Packing(total_weight * most_people, count)
    packed = {m: narrow.pack(m, samples) for m in seen}
    packed_wide = {m: wide.pack(m, samples) for m in seen}
    # Inhabitants weighted, per population mapping (one for all units of a fit).
    weighted_people = {
        key: {m: packed_wide[m] * population.get(m, 0) for m in seen}
        for key, population in populations.items()
    }
    unpacked = narrow.unpack
    tables: list[Tables] = [({}, {}) for _ in range(count)]
    for unit in units:
        flat = [0] * (SIZE * SIZE)
        people = [0] * SIZE
        heads = [0] * SIZE
        people_of = weighted_people[id(unit.population)]
        for moves, stage, members in unit.observations():
            p = sum(map(packed.__getitem__, members))
            if not p:
                continue
            for i, j in moves:
                flat[i * SIZE + j] += p
            if stage is not None:
                heads[stage] += p
                people[stage] += sum(map(people_of.__getitem__, members))
        flat_samples = [unpacked(cell) for cell in flat]
        heads_samples = [unpacked(cell) for cell in heads]
        people_samples = [wide.unpack(cell) for cell in people]
        for number in range(count):
            counted, today = tables[number]
            counted[unit.key] = [
                [flat_samples[i * SIZE + j][number] for j in range(SIZE)] for i in range(SIZE)
            ]
            today[unit.key] = (
                tuple(cell[number] for cell in heads_samples),
                tuple(cell[number] for cell in people_samples),
            )
    return tables


class _Packing:
    """Slots of whole bytes, wide enough for sums up to `bound`, one per sample."""

    def __init__(self, bound: int, count: int) -> None:
        self.size = (bound.bit_length() + 8) // 8  # bytes per slot, with room to spare
        self.count = count

    def pack(self, municipality: int, samples: Sequence[Mapping[int, int] | None]) -> int:
        value = 0
        shift = 8 * self.size
        for number, weights in enumerate(samples):
            w = 1 if weights is None else weights.get(municipality, 0)
            if w:
                value |= w << (shift * number)
        return value

    def unpack(self, total: int) -> list[float]:
        size = self.size
        raw = total.to_bytes(size * self.count, "little")
        return [
            float(int.from_bytes(raw[n * size : (n + 1) * size], "little"))
            for n in range(self.count)
        ]


def _pooled(
    key: tuple[int, int | None],
    by_key: Mapping[tuple[int, int | None], Unit | Courses],
    counted: Mapping[tuple[int, int | None], Counts],
    group_matrices: Mapping[tuple[int, int | None], Matrix],
    done: dict[tuple[int, int | None], Transitions],
    prior: float,
) -> Transitions:
    """A unit's transitions pooled with its group (fitting the group first where it is
    another unit); memoised in `done`."""
    if key in done:
        return done[key]
    unit = by_key[key]
    group = None
    if unit.group_key is not None:
        if unit.group_key in by_key:
            group = _pooled(unit.group_key, by_key, counted, group_matrices, done, prior).matrix
        else:
            group = group_matrices.get(unit.group_key)
    done[key] = estimate(counted[key], group, prior)
    return done[key]


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation; 0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Band:
    """A point value with its band [low, high] (which always contains the point)."""

    point: float
    low: float
    high: float


def band(point: float, draws: Sequence[float], level: float = BAND) -> Band:
    """The central `level` of the draws, widened to contain the point where the draws are
    skewed away from it."""
    tail = (1 - level) / 2
    low = quantile(draws, tail) if draws else point
    high = quantile(draws, 1 - tail) if draws else point
    return Band(point, min(low, point), max(high, point))


@dataclass(frozen=True)
class YearShares:
    """The projected stage distribution in one year, with its band, and the diffusion share."""

    year: int
    stages: tuple[Band, ...]
    diffusion: Band


@dataclass(frozen=True)
class Projection:
    """One unit's projection from the latest round (`years[0]`) to the horizon."""

    years: tuple[YearShares, ...]
    respondents: int
    own_weight: float
    observed_moves: int
    additional_population: Band

    @property
    def today(self) -> YearShares:
        return self.years[0]

    @property
    def horizon(self) -> YearShares:
        return self.years[-1]


def project(
    fitted: Fitted, first_year: int, step_years: int, steps: int, scenario: Scenario = BASELINE
) -> Projection:
    """The projected stage shares per year and the additional users' inhabitants at the
    horizon, each with its band over the bootstrap draws."""
    point = fitted.point
    point_path = path(shares(point.counts_today), point.transitions.matrix, steps, scenario)
    draw_paths = [
        path(shares(d.counts_today), d.transitions.matrix, steps, scenario) for d in fitted.draws
    ]
    years = []
    for number, distribution in enumerate(point_path):
        per_draw = [p[number] for p in draw_paths]
        years.append(
            YearShares(
                year=first_year + number * step_years,
                stages=tuple(band(distribution[i], [d[i] for d in per_draw]) for i in range(SIZE)),
                diffusion=band(diffusion_of(distribution), [diffusion_of(d) for d in per_draw]),
            )
        )
    extra = additional_population(
        point.population_today, use_probability(point.transitions.matrix, steps, scenario)
    )
    extra_draws = [
        additional_population(
            d.population_today, use_probability(d.transitions.matrix, steps, scenario)
        )
        for d in fitted.draws
    ]
    return Projection(
        years=tuple(years),
        respondents=int(sum(point.counts_today)),
        own_weight=point.transitions.weight_for(point.counts_today),
        observed_moves=int(sum(point.transitions.observed)),
        additional_population=band(extra, extra_draws),
    )


def steps_to(first_year: int, step_years: int, horizon_year: int) -> int:
    """Steps from `first_year` until the horizon is reached (the last step may pass it
    when rounds are more than a year apart)."""
    if horizon_year <= first_year:
        return 0
    return math.ceil((horizon_year - first_year) / step_years)


DEFAULT_RULES = placement.Rules()


def ring_years(
    projection: Projection, maturity: float, rules: placement.Rules = DEFAULT_RULES
) -> dict[str, int]:
    """The first projected year in which the placement score (maturity held as rated now,
    projected diffusion) reaches each ring inside today's; rings it does not reach are absent."""
    reached: dict[str, int] = {}
    start = placement.ring_for_score(
        placement.placement_score(maturity, projection.today.diffusion.point), rules
    )
    start_index = placement.RINGS.index(start)
    for year in projection.years[1:]:
        ring = placement.ring_for_score(
            placement.placement_score(maturity, year.diffusion.point), rules
        )
        for index in range(placement.RINGS.index(ring), start_index):
            reached.setdefault(placement.RINGS[index], year.year)
    return reached


# -- Backtest -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BacktestRow:
    """The latest round's diffusion share against its projection from the earlier rounds
    and against "no change" (the share of the round before). Errors are absolute, 0..1."""

    projected: float
    naive: float
    actual: float

    @property
    def error(self) -> float:
        return abs(self.projected - self.actual)

    @property
    def naive_error(self) -> float:
        return abs(self.naive - self.actual)

    @property
    def better_than_naive(self) -> bool:
        return self.error < self.naive_error


def backtest_row(previous: Sequence[float], actual: Sequence[float], matrix: Matrix) -> BacktestRow:
    """Project one step from the previous round's distribution with transitions estimated
    without the last step, and compare with what the latest round found."""
    return BacktestRow(
        projected=diffusion_of(step(shares(previous), matrix)),
        naive=diffusion_of(shares(previous)),
        actual=diffusion_of(shares(actual)),
    )


def mean_absolute(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


# -- Gain by 2030 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Gain:
    """FTE freed per year at the horizon by the additional users of one technology:
    inhabitants of the additional users × the measured gain per 1,000 inhabitants / 1,000.

    `fte` is the median gain on the projected users; `low` and `high` the extremes of the
    users' band times the gains' interquartile range (interval arithmetic, so the range
    always holds `fte`). None without a measured gain."""

    measured_projects: int
    gain_per_1000: tuple[float, float, float] | None
    fte: float | None
    low: float | None
    high: float | None


def gain(additional: Band, gain_per_1000: tuple[float, float, float] | None, measured: int) -> Gain:
    """The FTE the projected additional users would free, from the measured gain per 1,000
    inhabitants (lower quartile, median, upper quartile)."""
    if gain_per_1000 is None:
        return Gain(measured, None, None, None, None)
    low_gain, middle, high_gain = gain_per_1000
    point = additional.point * middle / 1000
    corners = [
        people * per_1000 / 1000
        for people in (additional.low, additional.high)
        for per_1000 in (low_gain, high_gain)
    ]
    return Gain(
        measured_projects=measured,
        gain_per_1000=gain_per_1000,
        fte=point,
        low=min([*corners, point]),
        high=max([*corners, point]),
    )
