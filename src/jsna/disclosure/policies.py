"""Disclosure-control policies: which counts are hidden and how the rest are shown.

Three named policies, each a small frozen :class:`DisclosurePolicy`:

* ``nhs_digital`` — NHS England (formerly NHS Digital) small-number rule for
  sub-national counts: counts 1–7 are shown as ``*``, every other count is
  rounded to the nearest 5, zeros are shown as 0 ("Disclosure control
  method for the Hospital Episode Statistics", NHS Digital, 2015; the same
  rule is used across NHS Digital's official statistics).
* ``opensafely`` — the OpenSAFELY output rule: every count of 7 or fewer
  (zero included) is redacted, the rest rounded to the nearest 5
  (OpenSAFELY documentation, "Safe outputs: disclosure controls"; ehrQL
  ``measures/disclosure_control.py``).
* ``threshold`` — a plain threshold, ``below=5`` by default (ScotPHO and many
  councils use < 5 or < 10): counts 1 … ``below - 1`` are suppressed, others
  shown exactly; zeros shown unless ``suppress_zero=True``.

Under every policy the value and confidence intervals of a row whose counts
are suppressed are blanked too (ScotPHO practice): a crude rate or percentage
times its denominator gives the numerator back.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from jsna.errors import InputError

__all__ = ["POLICIES", "DisclosurePolicy", "get_policy"]


@dataclass(frozen=True)
class DisclosurePolicy:
    """A small-number rule: counts ``low … limit`` hidden, others rounded to ``rounding``.

    ``low`` is 0 when zeros are hidden too, else 1; ``rounding`` is the base
    other counts are rounded to (``None``: shown exactly).

    >>> get_policy("nhs_digital").publish(np.array([0, 3, 8, 12, 1003]))
    array([   0.,   nan,   10.,   10., 1005.])
    """

    name: str
    limit: int
    low: int = 1
    rounding: int | None = None

    def __post_init__(self) -> None:
        if self.low not in (0, 1):
            raise InputError("low must be 0 (zeros hidden) or 1 (zeros shown)", value=self.low)
        if self.limit < self.low:
            raise InputError(
                "the suppression limit must be at least the smallest count hidden",
                column="limit",
                value=self.limit,
            )
        if self.rounding is not None and self.rounding < 2:
            raise InputError(
                "rounding base must be 2 or more", column="rounding", value=self.rounding
            )

    @property
    def interval(self) -> float:
        """Length of the range a ``*`` stands for (7 − 1 = 6 for ``nhs_digital``).

        A suppressed cell is *recoverable* when an attacker can confine it to
        a shorter interval than this from what is published.
        """
        return float(self.limit - self.low)

    def primary(self, counts: np.ndarray) -> np.ndarray:
        """True where a count falls in the hidden range ``low … limit`` (never for NaN)."""
        values = np.asarray(counts, dtype=float)
        # With zeros shown, any positive count up to the limit is hidden (person-years
        # can be fractions: 0.4 person-years is as small as a count of 1).
        above = values >= 0 if self.low == 0 else values > 0
        return above & (values <= self.limit)

    def round(self, counts: np.ndarray) -> np.ndarray:
        """Counts as shown when not suppressed: rounded half up to the base, or as they are."""
        values = np.asarray(counts, dtype=float)
        if self.rounding is None:
            return values.copy()
        return np.floor(values / self.rounding + 0.5) * self.rounding

    def publish(self, counts: np.ndarray, suppressed: np.ndarray | None = None) -> np.ndarray:
        """Counts as published: NaN where suppressed (primary, or the mask given), else rounded."""
        hide = self.primary(counts) if suppressed is None else np.asarray(suppressed, dtype=bool)
        return np.where(hide, np.nan, self.round(counts))

    def half_width(self, integer: bool) -> float:
        """How far a published rounded count can be from the true one (0 if exact)."""
        if self.rounding is None:
            return 0.0
        return math.floor(self.rounding / 2) if integer else self.rounding / 2

    def describe(self) -> str:
        """One line for manifests, notes and the methods page."""
        zeros = "zeros hidden" if self.low == 0 else "zeros shown"
        shown = (
            f"others rounded to the nearest {self.rounding}" if self.rounding else "others exact"
        )
        return (
            f"{self.name}: counts {self.low}-{self.limit} suppressed ({zeros}), {shown}; "
            "secondary suppression across linked tables"
        )

    def as_dict(self) -> dict[str, Any]:
        """The policy's fields, for ``manifest.json``."""
        return asdict(self)


#: The named policies (``threshold`` is shown with its default ``below=5``).
POLICIES: dict[str, DisclosurePolicy] = {
    "nhs_digital": DisclosurePolicy("nhs_digital", limit=7, low=1, rounding=5),
    "opensafely": DisclosurePolicy("opensafely", limit=7, low=0, rounding=5),
    "threshold": DisclosurePolicy("threshold", limit=4, low=1, rounding=None),
}


def get_policy(policy: DisclosurePolicy | str = "nhs_digital", **options: Any) -> DisclosurePolicy:
    """Resolve a policy name (plus options) to a :class:`DisclosurePolicy`.

    Options: ``below`` (threshold policy: suppress counts below it),
    ``suppress_zero`` (hide zeros too), ``rounding`` (base, or None).

    >>> get_policy("threshold", below=10).limit
    9
    """
    if isinstance(policy, DisclosurePolicy):
        chosen = policy
    elif policy in POLICIES:
        chosen = POLICIES[policy]
    else:
        raise InputError(
            f"unknown disclosure policy; choose one of {', '.join(POLICIES)}",
            column="disclosure.policy",
            value=policy,
        )
    unknown = set(options) - {"below", "suppress_zero", "rounding"}
    if unknown:
        raise InputError(
            "unknown disclosure option; known: below, suppress_zero, rounding",
            column="disclosure",
            value=sorted(unknown)[0],
        )
    changes: dict[str, Any] = {}
    if "below" in options:
        below = options["below"]
        if not isinstance(below, int) or isinstance(below, bool) or below < 2:
            raise InputError(
                "below must be a whole number of 2 or more", column="below", value=below
            )
        changes["limit"] = below - 1
    if "suppress_zero" in options:
        changes["low"] = 0 if options["suppress_zero"] else 1
    if "rounding" in options:
        changes["rounding"] = options["rounding"]
    return replace(chosen, **changes) if changes else chosen
