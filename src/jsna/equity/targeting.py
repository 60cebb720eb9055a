"""How many more people would need to be reached to close an uptake gap.

For an uptake indicator (a proportion where higher is better, in a domain
configured as uptake: vaccination, screening, health checks) the gap between
a group and its reference group is turned into people: (reference rate −
group rate) × group denominator. This is the number of additional people in
the group who would need to be vaccinated, screened or checked for the group
to reach the reference group's uptake. Its 95% confidence interval is the
same product over the interval of the rate difference (itself derived from
the two rates' confidence intervals), and all three figures are floored at
zero (where a group's uptake is already at or above the reference there is no
gap to close) and rounded to whole people.
"""

from __future__ import annotations

import numpy as np

__all__ = ["is_uptake", "people_to_close_gap"]


def is_uptake(
    statistic: np.ndarray, polarity: np.ndarray, domain: np.ndarray, uptake_domains: tuple[str, ...]
) -> np.ndarray:
    """True where the indicator is an uptake proportion (higher is better, an uptake domain)."""
    return (
        (np.asarray(statistic) == "proportion")
        & (np.asarray(polarity) == "higher_is_better")
        & np.isin(np.asarray(domain, dtype=object), list(uptake_domains))
    )


def people_to_close_gap(
    difference: np.ndarray,
    difference_lower: np.ndarray,
    difference_upper: np.ndarray,
    denominator: np.ndarray,
    multiplier: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """People to reach, with a 95% CI, from the group − reference rate difference.

    Whole people, halves rounded up.

    ``difference`` is group minus reference on the published scale (per
    ``multiplier``: 100 for percentages), so a group 25 points below the
    reference with 1,000 eligible people needs 250 more.

    >>> people_to_close_gap(np.array([-25.0]), np.array([-30.0]), np.array([-20.0]),
    ...                     np.array([1000.0]), np.array([100.0]))
    (array([250.]), array([200.]), array([300.]))
    """
    scale = np.asarray(denominator, float) / np.asarray(multiplier, float)

    def people(gap: np.ndarray) -> np.ndarray:
        return np.floor(np.maximum(-np.asarray(gap, float) * scale, 0.0) + 0.5)

    return people(difference), people(difference_upper), people(difference_lower)
