"""Acceptance test of issue #6: the demo's findings recover the gaps it was calibrated to.

The synthetic Westminster population is generated from
``src/jsna/synth/calibration/westminster.yaml``, whose targets are the
Westminster Global Majority JSNA's headline gaps. Running the whole demo once
and reading its ``findings.csv``, each calibrated figure must lie within the
95% confidence interval of the finding that reports it:

* age-standardised prevalence ratios to White British residents (the
  calibration's relative rates are age-and-sex-adjusted, so age
  standardisation recovers them): Black Caribbean hypertension (about 2),
  obesity (about 3) and diabetes (about 3), Bangladeshi diabetes ("almost
  four", 3.8);
* flu vaccination uptake at 65 and over: Black African and Mixed about 45%,
  White British about 70%;
* male life expectancy 18 years longer in Knightsbridge & Belgravia than in
  Westbourne (the named ward gap).

The targets are read from the calibration file, not repeated here.
"""

from __future__ import annotations

from importlib.resources import files

import pandas as pd
import pytest
import yaml

from jsna.codes.ethnicity import ethnicity_lookup

CALIBRATION = yaml.safe_load(
    files("jsna.synth").joinpath("calibration/westminster.yaml").read_text(encoding="utf-8")
)
CONDITION_RATIOS = [  # (indicator, calibration condition, ethnic group)
    ("ltc_hypertension_prevalence", "hypertension", "Black Caribbean"),
    ("ltc_obesity_prevalence", "obesity", "Black Caribbean"),
    ("ltc_diabetes_prevalence", "diabetes", "Black Caribbean"),
    ("ltc_diabetes_prevalence", "diabetes", "Bangladeshi"),
]
FLU = "prev_flu_vaccination_65plus"
LE_MALE = "le_birth_male"


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The demo run once (seed 2024, full scale, fixed build time); its findings.csv."""
    from jsna.report.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1711843200")  # 2024-03-31, the snapshot date
        run_demo(out, seed=2024, scale=1.0)
    return pd.read_csv(out / "findings.csv", keep_default_na=False, na_values=[""])


def _one(findings: pd.DataFrame, **match: str) -> pd.Series:
    rows = findings
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"expected one finding for {match}, found {len(rows)}"
    return rows.iloc[0]


@pytest.mark.slow
@pytest.mark.parametrize(("indicator", "condition", "group"), CONDITION_RATIOS)
def test_age_standardised_ratio_recovers_the_calibrated_relative_rate(
    findings, indicator, condition, group
):
    target = CALIBRATION["conditions"][condition]["relative_rate"][group]
    row = _one(
        findings,
        finding_type="group vs reference",
        indicator_id=indicator,
        dimension="ethnicity_19",
        category=group,
        comparator="White British",
    )
    assert row["published"]
    low, high = row["standardised_ratio_lower_95"], row["standardised_ratio_upper_95"]
    assert low <= target <= high, (
        f"{group} {condition}: calibrated {target}, found {row['standardised_ratio']:.3f} "
        f"({low:.3f} to {high:.3f})"
    )


def _uptake_target(groups: list[str]) -> float:
    """The calibrated 65+ flu uptake (%) shared by ``groups`` (all equal in the calibration)."""
    uptake = CALIBRATION["prevention"]["flu_vaccination"]["uptake"]
    targets = {uptake[group] for group in groups}
    assert len(targets) == 1, f"groups {groups} have different calibrated uptake {targets}"
    return 100 * targets.pop()


@pytest.mark.slow
def test_flu_uptake_at_65_and_over_recovers_the_calibrated_gap(findings):
    lookup = ethnicity_lookup().drop_duplicates("ethnicity_19")
    mixed = sorted(lookup.loc[lookup["ethnicity_5"] == "Mixed", "ethnicity_19"])
    black_african = _one(
        findings,
        finding_type="group vs reference",
        indicator_id=FLU,
        dimension="ethnicity_19",
        category="Black African",
    )
    mixed_row = _one(
        findings,
        finding_type="group vs reference",
        indicator_id=FLU,
        dimension="ethnicity_5",
        category="Mixed",
    )
    checks = [
        ("Black African", _uptake_target(["Black African"]), black_african, ""),
        ("Mixed", _uptake_target(mixed), mixed_row, ""),
        ("White British", _uptake_target(["White British"]), black_african, "comparator_"),
    ]
    for group, target, row, side in checks:
        assert row["published"]
        low, high = row[f"{side}lower_95"], row[f"{side}upper_95"]
        assert low <= target <= high, (
            f"flu 65+ {group}: calibrated {target:.0f}%, found {row[f'{side}value']:.1f}% "
            f"({low:.1f} to {high:.1f})"
        )
    assert black_african["comparator"] == "White British"


@pytest.mark.slow
def test_named_ward_gap_recovers_the_calibrated_male_life_expectancy_gap(findings):
    gap = CALIBRATION["mortality"]["ward_gap"]  # the Westminster JSNA 2024's 18 years
    assert gap["sex"] == "M"
    row = _one(
        findings,
        finding_type="named ward gap",
        indicator_id=LE_MALE,
        dimension="ward",
        category="Knightsbridge & Belgravia",
        comparator="Westbourne",
    )
    assert row["published"]
    low, high = row["difference_lower_95"], row["difference_upper_95"]
    assert low <= gap["years"] <= high, (
        f"calibrated {gap['years']} years, found {row['difference']:.2f} ({low:.2f} to {high:.2f})"
    )
    assert "Knightsbridge & Belgravia than in Westbourne" in row["sentence"]


@pytest.mark.slow
def test_no_sentence_uses_a_collective_acronym(findings):
    assert findings["sentence"].notna().all()
    assert not findings["sentence"].str.contains("BAME").any()
