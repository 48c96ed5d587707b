"""The survey's answer vocabulary as BRIEF.md defines it (pure, no Django).

Labels live in models.py, where they are translatable; here only the codes and
the rules that follow from them.
"""

from __future__ import annotations

NOT_RELEVANT = "not_relevant"
NOT_CONSIDERING = "not_considering"
CONSIDERING = "considering"
PILOTING = "piloting"
IN_OPERATION = "in_operation"
SCALED = "scaled"
DISCONTINUED = "discontinued"

STAGES: tuple[str, ...] = (
    NOT_RELEVANT,
    NOT_CONSIDERING,
    CONSIDERING,
    PILOTING,
    IN_OPERATION,
    SCALED,
    DISCONTINUED,
)

# A municipality "uses" a technology when it is in operation or scaled (diffusion numerator).
USING_STAGES = frozenset({IN_OPERATION, SCALED})
# Stages whose value answers are experienced value; the others give expected value.
EXPERIENCE_STAGES = frozenset({PILOTING, IN_OPERATION, SCALED, DISCONTINUED})
EXPECTATION_STAGES = frozenset({NOT_CONSIDERING, CONSIDERING})

# How far along a municipality is, used to combine its answers across domains.
ADVANCEMENT: dict[str, int] = {
    NOT_RELEVANT: 0,
    NOT_CONSIDERING: 1,
    DISCONTINUED: 2,
    CONSIDERING: 3,
    PILOTING: 4,
    IN_OPERATION: 5,
    SCALED: 6,
}


def is_more_advanced(stage: str, held: str | None) -> bool:
    """Whether `stage` should replace `held` as a municipality's combined answer across
    domains: it is further along, or nothing is held yet. A tie keeps what is held, so
    the first answer given wins."""
    return held is None or ADVANCEMENT[stage] > ADVANCEMENT[held]


VALUE_NONE = "none"
VALUE_SOME = "some"
VALUE_LARGE = "large"
VALUE_DONT_KNOW = "dont_know"
VALUES: tuple[str, ...] = (VALUE_NONE, VALUE_SOME, VALUE_LARGE, VALUE_DONT_KNOW)
POSITIVE_VALUES = frozenset({VALUE_SOME, VALUE_LARGE})

EFFICIENCY = "efficiency"
QUALITY = "quality"
WELLBEING = "wellbeing"
DIMENSIONS: tuple[str, ...] = (EFFICIENCY, QUALITY, WELLBEING)


def value_field(dimension: str) -> str:
    """The answer's field that holds the value for `dimension` (value_efficiency, ...)."""
    return f"value_{dimension}"


VALUE_FIELDS: tuple[str, ...] = tuple(value_field(dimension) for dimension in DIMENSIONS)
