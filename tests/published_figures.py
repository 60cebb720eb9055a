"""Published figures the tests check against, typed from their sources (not read from jsna).

Kept apart from the package so a test that compares jsna's shipped tables or
results with these numbers compares two independent copies.
"""

from __future__ import annotations

#: European Standard Population 2013 (Eurostat, "Revision of the European Standard
#: Population", 2013): 0, 1-4 merged as 0-4, 5-9 … 85-89, 90+; sums to 100,000.
ESP2013_WEIGHTS: tuple[int, ...] = (
    5000,
    5500,
    5500,
    5500,
    6000,
    6000,
    6500,
    7000,
    7000,
    7000,
    7000,
    6500,
    6000,
    5500,
    5000,
    4000,
    2500,
    1500,
    1000,
)
