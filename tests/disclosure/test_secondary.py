"""Secondary suppression across linked tables, and the audit that attacks it.

The example (``tables.EXAMPLE``) has one small ethnic group, Asian: 3 people,
1 female and 2 male. Hiding only those three cells is undone by subtraction
(Asian = all − Black − White = 100 − 47 − 50), and so is a pattern chosen
table by table, which hides a complement in each table but publishes Black
through its intersection cells (19 + 28). jsna's suppression hides
complements chosen across the linked tables, and the audit then cannot pin
any hidden cell to less than the range a ``*`` stands for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsna.disclosure import audit_table, get_policy, protect
from jsna.disclosure.secondary import complementary_suppression

from .tables import NUMERATORS, suppress, tidy

SMALL = {"Asian", "Asian × Female", "Asian × Male"}


def recovered(report) -> dict[str, tuple[float, float]]:
    return {c.category: (round(c.lower, 6), round(c.upper, 6)) for c in report.recoverable}


def test_primary_only_is_recovered_exactly_by_subtraction() -> None:
    published = suppress(tidy(), SMALL)
    report = audit_table(published, "threshold", below=5)
    # Asian = 100 − 47 − 50; Asian × Female = 40 − 19 − 20; Asian × Male = 60 − 28 − 30.
    assert recovered(report) == {
        "Asian": (3.0, 3.0),
        "Asian × Female": (1.0, 1.0),
        "Asian × Male": (2.0, 2.0),
    }


def test_table_by_table_complements_leak_through_the_linked_intersection() -> None:
    # Per table this looks safe: two hidden ethnic groups; in the intersection each
    # hidden row and column has two hidden cells. But Black = 19 + 28 is published
    # in the intersection, so Asian = 100 − 47 − 50 again.
    naive = SMALL | {"Black", "White × Female", "White × Male"}
    report = audit_table(suppress(tidy(), naive), "threshold", below=5)
    assert recovered(report)["Asian"] == (3.0, 3.0)
    assert recovered(report)["Black"] == (47.0, 47.0)


def test_jsna_suppression_hides_the_hand_worked_complements() -> None:
    published = protect(tidy(), "threshold", below=5)
    hidden = set(published.loc[published["suppressed"], "category"])
    # Worked by hand (cheapest complement first, totals last): Black hides Asian in
    # the ethnicity table; Black × Male covers Asian × Male in the Male column;
    # Black × Female then covers Black in its row (Black = Black × F + Black × M).
    assert hidden == SMALL | {"Black", "Black × Female", "Black × Male"}
    report = audit_table(published, "threshold", below=5)
    assert report.ok and report.suppressed == 6


def test_hidden_rows_lose_value_intervals_and_comparisons() -> None:
    published = protect(tidy(), "threshold", below=5).set_index("category")
    asian = published.loc["Asian"]
    assert np.isnan(asian["numerator"]) and asian["suppressed"]
    assert asian[["value", "lower_95", "upper_95", "lower_998", "upper_998"]].isna().all()
    assert asian[["ratio_to_comparator", "p_value", "q_value"]].isna().all()
    assert asian["significance"] == "Not compared"
    assert "suppressed by disclosure control" in asian["note"]
    # Denominators are large: still published under the threshold policy.
    assert asian["denominator"] == 230.0
    white = published.loc["White"]
    assert white["value"] == pytest.approx(100 * 50 / 700) and not white["suppressed"]


def test_rows_compared_with_a_hidden_reference_lose_their_comparison() -> None:
    # Make White the small group: every ethnic row compares with it.
    numerators = dict(NUMERATORS)
    numerators[("ethnicity_5", "White")] = 4
    numerators[("ethnicity_5", "Black")] = 93
    table = tidy(numerators).query("dimension in ['all', 'ethnicity_5']")
    published = protect(table, "threshold", below=5).set_index("category")
    asian = published.loc["Asian"]  # Asian (3) is hidden itself; Black is not
    black = published.loc["Black"]
    assert asian["suppressed"] and published.loc["White", "suppressed"]
    assert not black["suppressed"] and np.isnan(black["ratio_to_comparator"])
    assert black["significance"] == "Not compared"
    assert "comparator's counts suppressed" in black["note"]
    assert black["value"] == pytest.approx(100 * 93 / 670)


def test_nhs_digital_rounds_shown_counts_and_hides_the_same_cells() -> None:
    published = protect(tidy(), "nhs_digital").set_index("category")
    assert set(published.index[published["suppressed"]]) == SMALL | {
        "Black",
        "Black × Female",
        "Black × Male",
    }
    # 19 and 28 are hidden; shown counts are multiples of 5 (20, 30, 40, 50, 60, 100
    # already are); denominators 230 → 230, 670 → 670, 110 → 110.
    assert published.loc["White × Female", "numerator"] == 20.0
    assert (published["denominator"] % 5 == 0).all()
    assert audit_table(published.reset_index(), "nhs_digital").ok


def test_rounding_alone_is_undone_by_published_percentages() -> None:
    # Under nhs_digital rounding: all 100 ∈ [98, 102], Black 45 ∈ [43, 47], White 50 ∈
    # [48, 52] leave Asian anywhere in [1, 11] — but each published percentage times its
    # rounded denominator fixes the exact count, so subtraction works again.
    published = suppress(tidy(), SMALL, rounding=5)
    report = audit_table(published, "nhs_digital")
    assert "Asian" in recovered(report)
    lower, upper = recovered(report)["Asian"]
    assert lower <= 3 <= upper and upper - lower < 6
    # Without the percentages, Asian stays in [1, 11]; but Asian × Female = Female
    # [38, 42] − Black × Female (19 shown as 20: [18, 22]) − White × Female [18, 22]
    # is in [1, 6], narrower than [1, 7]: rounding alone is not enough either.
    blind = audit_table(published.assign(value=np.nan), "nhs_digital")
    assert "Asian" not in recovered(blind)
    assert recovered(blind)["Asian × Female"] == (1.0, 6.0)


def test_a_part_is_chosen_as_complement_before_the_total() -> None:
    # all = 20 = Female 3 + Male 17 = Asian 10 + Black 10: the part Male covers Female,
    # not the total, so the ethnicity table stays whole.
    values = np.array([20.0, 3, 17, 10, 10])
    relations = [np.array([0, 1, 2]), np.array([0, 3, 4])]
    hidden, exposed = complementary_suppression(
        values,
        values == 3,
        relations,
        get_policy("threshold", below=5),
        totals=np.array([True, False, False, False, False]),
    )
    assert hidden.tolist() == [False, True, True, False, False] and len(exposed) == 0


def test_protect_leaves_its_input_alone_and_records_the_policy() -> None:
    table = tidy()
    before = table.copy()
    published = protect(table, "threshold", below=5)
    pd.testing.assert_frame_equal(table, before)
    record = published.attrs["disclosure"]
    assert record["policy"] == {"name": "threshold", "limit": 4, "low": 1, "rounding": None}
    assert (record["primary"], record["secondary"], record["unresolved"]) == (3, 3, 0)
