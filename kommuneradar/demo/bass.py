"""The Bass diffusion model (pure functions, no Django).

F(t) is the cumulative share of adopters t years after launch, for innovation
coefficient p and imitation coefficient q.
"""

from __future__ import annotations

import math


def bass_cumulative(t: float, p: float, q: float) -> float:
    """Cumulative adopter share 0..1 at t years after launch (0 before launch)."""
    if p <= 0 or q < 0:
        raise ValueError("need p > 0 and q >= 0")
    if t <= 0:
        return 0.0
    decay = math.exp(-(p + q) * t)
    return (1 - decay) / (1 + (q / p) * decay)


def bass_adoption_time(share: float, p: float, q: float) -> float:
    """Years after launch at which the cumulative adopter share reaches `share` (0..1).

    The inverse of `bass_cumulative`: the adopter at quantile `share` of the population
    adopts this many years after launch; infinite for share 1 (the curve only tends to 1).
    """
    if p <= 0 or q < 0:
        raise ValueError("need p > 0 and q >= 0")
    if not 0 <= share <= 1:
        raise ValueError("share must lie in 0..1")
    if share == 1:
        return math.inf
    return math.log((1 + share * q / p) / (1 - share)) / (p + q)
