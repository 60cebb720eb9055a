"""What the record-level tables hold, as the catalogue may refer to them.

The indicator catalogue names tables, columns, conditions, events and causes
of death; this module lists the ones that exist (from ``docs/data-model.md``)
so a catalogue entry that names anything else fails when it is loaded, not
half-way through a build. The derived stratum columns the engine adds to
every person (``ethnicity_19``, ``ward`` …) are listed too, because an
indicator may count on them (ethnicity recording completeness does).
"""

from __future__ import annotations

from jsna.codes.causes import CAUSE_GROUPS
from jsna.sources.schema import CONDITIONS, EVENTS

__all__ = [
    "CAUSE_GROUPS",
    "CONDITIONS",
    "DIMENSIONS",
    "EVENTS",
    "PEOPLE_CATEGORIES",
    "PEOPLE_COLUMNS",
    "TABLES",
]

TABLES: tuple[str, ...] = ("people", "conditions", "events", "deaths")

# Categorical person attributes an indicator may count on, with their codes.
PEOPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "tenure": ("owned", "social_rented", "private_rented", "other"),
    "economic_activity": ("employed", "unemployed", "inactive", "child"),
    "general_health": ("very_good", "good", "fair", "bad", "very_bad"),
    "disability": ("limited_a_lot", "limited_a_little", "not_limited"),
    "unpaid_care": ("none", "1_19h", "20_49h", "50h_plus"),
}

# The stratum dimensions the engine derives for every person (data-model.md, "Groups").
DIMENSIONS: tuple[str, ...] = (
    "ethnicity_19",
    "ethnicity_5",
    "global_majority",
    "ward",
    "imd_quintile",
    "sex",
    "age_band",
    "main_language",
)

# Person-level columns a numerator may count on: the attributes above and the
# derived groups (labels as in data-model.md). Age bands are not a person column.
PEOPLE_COLUMNS: tuple[str, ...] = (
    *PEOPLE_CATEGORIES,
    *(name for name in DIMENSIONS if name != "age_band"),
)
