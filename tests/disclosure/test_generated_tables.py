"""Generated tables: whatever the counts, protect hides every small one and the audit passes.

Hypothesis draws a group × sex × deprivation cube of counts (many of them
small) and publishes it as linked tables sharing margins (``ethnicity_5×sex``
and ``ethnicity_5×imd_quintile`` both sum to ``ethnicity_5``), with
denominators at least as large; the properties
are the policy's own rules (every count in the hidden range is hidden, every
shown count is rounded) and the audit's verdict, with and without the
restricted table.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jsna.disclosure import audit_table, get_policy, protect

from .tables import tidy

GROUPS = ["Asian", "Black", "Mixed", "White", "Other"]
SEXES = ["Female", "Male"]
QUINTILES = ["1 (most deprived)", "2", "3"]


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict, dict]:
    """One record-level cube (group × sex × quintile) published as linked tables."""
    groups = GROUPS[: draw(st.integers(2, 5))]
    quintiles = QUINTILES[: draw(st.integers(2, 3))]
    small_or_not = st.one_of(st.integers(0, 9), st.integers(10, 60))
    cube = [(g, s, q) for g in groups for s in SEXES for q in quintiles]
    cells = {key: draw(small_or_not) for key in cube}
    extra = {key: draw(st.integers(0, 300)) for key in cube}
    numerators: dict[tuple[str, str], int] = {}
    denominators: dict[tuple[str, str], int] = {}

    def put(dimension: str, category: str, parts: list[tuple[str, str, str]]) -> None:
        numerators[(dimension, category)] = sum(cells[p] for p in parts)
        denominators[(dimension, category)] = sum(cells[p] + extra[p] for p in parts)

    put("all", "All", cube)
    for sex in SEXES:
        put("sex", sex, [k for k in cube if k[1] == sex])
    for group in groups:
        put("ethnicity_5", group, [k for k in cube if k[0] == group])
    for quintile in quintiles:
        put("imd_quintile", quintile, [k for k in cube if k[2] == quintile])
    for group in groups:
        for sex in SEXES:
            put("ethnicity_5×sex", f"{group} × {sex}", [k for k in cube if k[:2] == (group, sex)])
        for q in quintiles:
            put("ethnicity_5×imd_quintile", f"{group} × {q}", [(group, s, q) for s in SEXES])
    return numerators, denominators


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["nhs_digital", "opensafely", "threshold"]))
def test_every_small_count_is_hidden_and_none_can_be_recovered(
    drawn: tuple[dict, dict], name: str
) -> None:
    numerators, denominators = drawn
    raw = tidy(numerators, denominators)
    policy = get_policy(name)
    published = protect(raw, policy)
    for column in ("numerator", "denominator"):
        small = policy.primary(raw[column].to_numpy(dtype=float))
        assert published.loc[small, column].isna().all()
        assert published.loc[small, "suppressed"].all()
        shown = published[column].dropna().to_numpy()
        if policy.rounding:
            assert np.all(shown % policy.rounding == 0)
        else:
            kept = published[column].notna().to_numpy()
            assert np.array_equal(shown, raw.loc[kept, column].to_numpy(dtype=float))
    assert published.attrs["disclosure"]["unresolved"] == 0
    assert audit_table(published, policy, truth=raw).ok
    assert audit_table(published, policy).ok
