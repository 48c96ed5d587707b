"""Rules of a survey round (pure, no Django): life cycle, link tokens, answer validation
and the response-rate arithmetic behind the monitoring page."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import vocabulary as v

DRAFT = "draft"
OPEN = "open"
CLOSED = "closed"
PUBLISHED = "published"

# Which status a round may move to from each status. Closing is undone by opening again
# (a late municipality); a published round stays published (corrections are new revisions).
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({OPEN}),
    OPEN: frozenset({CLOSED}),
    CLOSED: frozenset({OPEN, PUBLISHED}),
    PUBLISHED: frozenset(),
}


def may_move(current: str, wanted: str) -> bool:
    """Whether a round in status `current` may move to status `wanted`."""
    return wanted in TRANSITIONS.get(current, frozenset())


# Error codes; the Django layer turns them into translated messages.
MISSING = "missing"
VALUE_FOR_NOT_RELEVANT = "value_for_not_relevant"
UNKNOWN_STAGE = "unknown_stage"
UNKNOWN_VALUE = "unknown_value"


def validate_answer(
    stage: str, values: Mapping[str, str], *, require_values: bool
) -> dict[str, str]:
    """Errors of one answer, as {field: error code}; fields are "stage" and the dimensions.

    `stage` and `values` are codes from vocabulary.py or "" for no answer. Not relevant
    takes no value; with `require_values` (a submitted questionnaire) every other stage
    needs a value for every dimension."""
    errors: dict[str, str] = {}
    if stage == "":
        errors["stage"] = MISSING
    elif stage not in v.STAGES:
        errors["stage"] = UNKNOWN_STAGE
    for dimension in v.DIMENSIONS:
        value = values.get(dimension, "")
        if value and value not in v.VALUES:
            errors[dimension] = UNKNOWN_VALUE
        elif stage == v.NOT_RELEVANT and value:
            errors[dimension] = VALUE_FOR_NOT_RELEVANT
        elif require_values and not value and stage in v.STAGES and stage != v.NOT_RELEVANT:
            errors[dimension] = MISSING
    return errors


def value_kind(stage: str) -> str:
    """ "experienced" for stages in use or tried, "expected" for the others, "" for none."""
    if stage in v.EXPERIENCE_STAGES:
        return "experienced"
    if stage in v.EXPECTATION_STAGES:
        return "expected"
    return ""


@dataclass(frozen=True)
class Rate:
    """Submitted responses out of invitations: `share` is 0..1, None without invitations."""

    label: str
    invited: int
    submitted: int
    drafts: int

    @property
    def share(self) -> float | None:
        return self.submitted / self.invited if self.invited else None


def response_rates(rows: Iterable[tuple[str, str]]) -> list[Rate]:
    """Response rate per group, from (group label, state) pairs, one per invitation.

    State is "submitted", "draft" or "none"; groups keep the order they first appear in."""
    counts: dict[str, list[int]] = {}
    for label, state in rows:
        bucket = counts.setdefault(label, [0, 0, 0])
        bucket[0] += 1
        if state == "submitted":
            bucket[1] += 1
        elif state == "draft":
            bucket[2] += 1
    return [Rate(label, *bucket) for label, bucket in counts.items()]


def rates_from_counts(
    groups: Iterable[tuple[Hashable, str, int]], counts: Mapping[Any, tuple[int, int]]
) -> list[Rate]:
    """Response rate per group from counts made elsewhere (the database): each group's
    key, label and expected responses, and its (submitted, drafts) counts by key (a
    group without counts has none)."""
    return [Rate(label, expected, *counts.get(key, (0, 0))) for key, label, expected in groups]


def counts_by(rows: Iterable[tuple[Hashable, int, int]]) -> dict[Any, tuple[int, int]]:
    """(submitted, drafts) per key, summed over rows of (key, submitted, drafts)."""
    sums: dict[Any, tuple[int, int]] = {}
    for key, submitted, drafts in rows:
        before = sums.get(key, (0, 0))
        sums[key] = (before[0] + submitted, before[1] + drafts)
    return sums


def total_rate(rates: Iterable[Rate]) -> Rate:
    """The rate over every group together."""
    invited = submitted = drafts = 0
    for rate in rates:
        invited += rate.invited
        submitted += rate.submitted
        drafts += rate.drafts
    return Rate("all", invited, submitted, drafts)


@dataclass(frozen=True)
class Change:
    """One municipality's round compared with the previous round (counts of domains
    submitted and of distinct technologies in operation or scaled)."""

    municipality: str
    domains_now: int
    domains_before: int
    in_use_now: int
    in_use_before: int

    @property
    def domains_change(self) -> int:
        return self.domains_now - self.domains_before

    @property
    def in_use_change(self) -> int:
        return self.in_use_now - self.in_use_before


def changes(
    municipalities: Iterable[tuple[Hashable, str]],
    domains_now: Mapping[Any, int],
    domains_before: Mapping[Any, int],
    in_use_now: Mapping[Any, int],
    in_use_before: Mapping[Any, int],
) -> list[Change]:
    """Per municipality (its key in the counts, and its name), this round against the
    previous one; missing counts are 0."""
    return [
        Change(
            name,
            domains_now.get(key, 0),
            domains_before.get(key, 0),
            in_use_now.get(key, 0),
            in_use_before.get(key, 0),
        )
        for key, name in municipalities
    ]
