"""Who may move a case from one workflow state to another (pure, no Django).

States: draft -> submitted -> published, or submitted -> returned -> submitted again.
Editors write and submit their own municipality's cases; analysts review and publish."""

from __future__ import annotations

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
PUBLISHED = "published"

SUBMIT = "submit"
PUBLISH = "publish"
RETURN = "return"

_TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, SUBMIT): SUBMITTED,
    (RETURNED, SUBMIT): SUBMITTED,
    (SUBMITTED, PUBLISH): PUBLISHED,
    (SUBMITTED, RETURN): RETURNED,
}
_ANALYST_ONLY = {PUBLISH, RETURN}


def may_edit(state: str, *, is_analyst: bool) -> bool:
    """Editors change drafts and returned cases; analysts any case (they keep published
    cases correct)."""
    return is_analyst or state in {DRAFT, RETURNED}


def next_state(state: str, action: str, *, is_analyst: bool) -> str | None:
    """The state after `action`, or None when the action is not allowed from `state`
    for this kind of user."""
    if action in _ANALYST_ONLY and not is_analyst:
        return None
    return _TRANSITIONS.get((state, action))
