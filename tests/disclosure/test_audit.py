"""``jsna audit OUT``: the attack on a build folder, from Python and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from jsna.cli import app
from jsna.disclosure import audit, audit_table, protect
from jsna.disclosure.attack import Constraints, feasible_intervals
from jsna.errors import InputError

from .tables import suppress, tidy

SMALL = {"Asian", "Asian × Female", "Asian × Male"}


def write_build(out: Path, published: pd.DataFrame, restricted: pd.DataFrame | None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    published.to_parquet(out / "indicators.parquet", index=False)
    if restricted is not None:
        (out / "restricted").mkdir(exist_ok=True)
        restricted.to_parquet(out / "restricted" / "indicators.parquet", index=False)
    return out


def test_interval_of_a_cell_beside_a_rounded_one() -> None:
    # total 100 exact = x (hidden, ≥ 1) + y (shown 50 ⇒ [48, 52]): x ∈ [48, 52].
    facts = Constraints()
    facts.add_sum(np.array([0, 1, 2]))
    lo, hi = feasible_intervals(
        np.array([100.0, 1.0, 48.0]), np.array([100.0, np.inf, 52.0]), facts, np.array([1])
    )
    assert (lo[1], hi[1]) == (48.0, 52.0)


def test_a_protected_build_passes_and_the_policy_is_read_from_the_table(tmp_path: Path) -> None:
    raw = tidy()
    out = write_build(tmp_path / "out", protect(raw, "threshold", below=5), raw)
    report = audit(out)
    assert report.ok and report.suppressed == 6 and report.recoverable == ()
    assert report.policy.startswith("threshold: counts 1-4 suppressed")
    result = CliRunner().invoke(app, ["audit", str(out)])
    assert result.exit_code == 0, result.output
    assert "recoverable: 0" in result.output and result.output.strip().endswith("PASS")


def test_a_primary_only_build_fails_and_names_the_cells(tmp_path: Path) -> None:
    out = write_build(tmp_path / "out", suppress(tidy(), SMALL), None)
    (out / "manifest.json").write_text(
        json.dumps(
            {
                "disclosure": {
                    "policy": {"name": "threshold", "limit": 4, "low": 1, "rounding": None}
                }
            }
        ),
        encoding="utf-8",
    )
    report = audit(out)
    assert {c.category for c in report.recoverable} == SMALL
    result = CliRunner().invoke(app, ["audit", str(out)])
    assert result.exit_code == 1
    assert "ethnicity_5 = Asian (numerator): in [3.00, 3.00]" in result.output
    assert result.output.strip().endswith("FAIL")


def test_the_policy_can_be_given_on_the_command_line(tmp_path: Path) -> None:
    out = write_build(tmp_path / "out", suppress(tidy(), SMALL), None)
    result = CliRunner().invoke(app, ["audit", str(out), "--policy", "threshold"])
    assert result.exit_code == 1 and "recoverable: 3" in result.output


def test_no_recorded_policy_is_an_input_error(tmp_path: Path) -> None:
    out = write_build(tmp_path / "out", suppress(tidy(), SMALL), None)
    with pytest.raises(InputError, match="no disclosure policy recorded"):
        audit(out)


def test_no_published_table_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no published table"):
        audit(tmp_path)


def test_a_restricted_table_of_another_build_is_refused(tmp_path: Path) -> None:
    raw = tidy()
    out = write_build(tmp_path / "out", protect(raw, "threshold"), raw.iloc[:5])
    with pytest.raises(InputError, match="restricted table has 5 rows"):
        audit(out)


def test_a_table_without_counts_is_an_input_error() -> None:
    with pytest.raises(InputError, match="column 'denominator'"):
        protect(tidy().drop(columns="denominator"))


def test_published_counts_that_contradict_the_sums_are_reported() -> None:
    raw = tidy()
    published = protect(raw, "threshold", below=5)
    published.loc[published["category"] == "White", "numerator"] = 60.0  # true: 50
    report = audit_table(published, "threshold", below=5, truth=raw)
    assert report.inconsistent > 0 and not report.ok
    assert "hidden cells under contradictory facts" in report.summary()


def test_rows_of_one_group_with_different_counts_are_refused() -> None:
    raw = tidy()
    standardised = raw.assign(age_standardised=True, value_type="age-standardised rate")
    standardised.loc[3, "numerator"] = 4  # Asian: 3 on the crude row
    table = pd.concat([raw, standardised], ignore_index=True)
    with pytest.raises(InputError) as caught:
        protect(table)
    error = caught.value
    assert (error.column, error.row, error.value) == ("numerator", 16, 4.0)


def test_a_count_missing_for_another_reason_is_unknown_not_zero() -> None:
    # White's numerator is absent but not suppressed. Read as 0 it would contradict the
    # sums (Asian + Black = 50 from the intersection, 100 from the total); as unknown
    # it is consistent, and the hidden cells stay protected.
    hidden = SMALL | {"Black", "Black × Female", "Black × Male"}
    published = suppress(tidy(), hidden)
    published.loc[published["category"] == "White", "numerator"] = np.nan
    report = audit_table(published, "threshold", below=5)
    assert report.ok and report.suppressed == 6 and report.inconsistent == 0


def test_shown_counts_in_the_hidden_range_contradict_the_policy() -> None:
    # Asian × Female = 1 shown although the policy hides 1-4: an outsider reading the
    # policy takes shown counts as 5 or more, which the sums cannot satisfy.
    published = suppress(tidy(), {"Asian", "Black"})
    assert audit_table(published, "threshold", below=5).inconsistent > 0
