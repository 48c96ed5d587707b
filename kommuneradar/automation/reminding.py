"""When a reminder about a process is due, and for which period (pure, no Django).

A reminder counts from an *anchor* date: the day the legal basis was last checked, the
day the process was last changed, the end of its latest measured period. It is due once
`months` have passed since the anchor, and again every further `months` while the anchor
stays the same. The *period* names that stretch: the anchor and how many months after it,
e.g. "2025-03-01+6m", then "2025-03-01+12m". A new anchor (the basis checked, the process
updated, a measurement recorded) starts a new series, so a reminder goes out once per
period and never twice for the same one.
"""

from __future__ import annotations

import calendar
import datetime

LEGAL_BASIS_MONTHS = 6
NOT_UPDATED_MONTHS = 12
MEASUREMENT_MONTHS = 3


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1
    month = 28 or 29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def months_passed(anchor: datetime.date, today: datetime.date) -> int:
    """Whole months from `anchor` to `today` (0 before the first month is full)."""
    months = (today.year - anchor.year) * 12 + today.month - anchor.month
    while months > 0 and add_months(anchor, months) > today:
        months -= 1
    return max(months, 0)


def due_period(anchor: datetime.date, today: datetime.date, months: int) -> str | None:
    """The period a reminder is due for on `today`, or None when it is not due yet."""
    if months <= 0:
        raise ValueError("months must be positive")
    cycles = months_passed(anchor, today) // months
    if cycles < 1:
        return None
    return f"{anchor.isoformat()}+{cycles * months}m"
