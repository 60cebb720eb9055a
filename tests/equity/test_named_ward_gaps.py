"""Life-expectancy gaps between the ward pairs a JSNA names (EquityConfig.ward_pairs)."""

from __future__ import annotations

import math

import pytest

from jsna.equity import EquityConfig, analyse
from jsna.errors import InputError

Z = 1.959964
# value, lower_95, upper_95 of male life expectancy by ward (chosen by hand)
WARDS = {
    "Knightsbridge & Belgravia": (90.0, 88.0, 92.0),
    "Westbourne": (72.0, 70.5, 73.5),
    "Abbey Road": (82.0, 80.8, 83.2),
    "Maida Vale": (81.5, 80.0, 83.0),
}


def _half_width(first: str, second: str) -> float:
    """z × sqrt of the summed variances, each SE = (upper − lower) / (2 z)."""
    se = [(WARDS[w][2] - WARDS[w][1]) / (2 * Z) for w in (first, second)]
    return Z * math.sqrt(se[0] ** 2 + se[1] ** 2)


def _rows(make_row, wards=WARDS, **changes):
    return [
        make_row(
            "le_male",
            "ward",
            ward,
            **{
                "numerator": 150,
                "denominator": 20_000,
                "value": value,
                "lower_95": low,
                "upper_95": high,
                **changes.get(ward, {}),
            },
        )
        for ward, (value, low, high) in wards.items()
    ]


def _named(findings):
    return findings[findings["finding_type"] == "named ward gap"].set_index("category")


def test_default_pair_is_first_minus_second_with_its_ci(make_row, make_table, config):
    findings = analyse(make_table(_rows(make_row)), config=config).findings
    named = _named(findings)
    assert list(named.index) == ["Knightsbridge & Belgravia"]
    gap = named.loc["Knightsbridge & Belgravia"]
    assert gap["comparator"] == "Westbourne"
    # 90 − 72 = 18; half-width sqrt(2² + 1.5²) = 2.5 years
    assert _half_width("Knightsbridge & Belgravia", "Westbourne") == pytest.approx(2.5)
    assert gap["difference"] == pytest.approx(18.0)
    assert gap["difference_lower_95"] == pytest.approx(15.5, abs=1e-6)
    assert gap["difference_upper_95"] == pytest.approx(20.5, abs=1e-6)
    assert gap["published"] and gap["significant"]
    assert gap["sentence"] == (
        "Male life expectancy at birth was 18.0 years higher in Knightsbridge & Belgravia "
        "than in Westbourne (15.5 to 20.5 years)."
    )
    assert (
        gap["finding_id"]
        != findings.loc[findings["finding_type"] == "widest ward gap", "finding_id"].iat[0]
    )
    assert findings["finding_id"].is_unique
    # K&B and Westbourne are also the widest gap: that finding is ranked, this one listed
    widest = findings[findings["finding_type"] == "widest ward gap"].iloc[0]
    assert {widest["category"], widest["comparator"]} == {"Knightsbridge & Belgravia",
                                                          "Westbourne"}
    assert widest["score"] > 0 and math.isnan(gap["score"])


def test_a_named_pair_that_is_not_the_widest_is_ranked_too(make_row, make_table):
    config = EquityConfig(summary_repetitions=1000,
                          ward_pairs=(("Abbey Road", "Knightsbridge & Belgravia"),))
    findings = analyse(make_table(_rows(make_row)), config=config).findings
    gaps = findings[findings["finding_type"].str.endswith("ward gap")]
    assert gaps["score"].notna().all() and len(gaps) == 2


def test_lower_first_ward_and_no_clear_gap(make_row, make_table):
    config = EquityConfig(
        summary_repetitions=1000,
        ward_pairs=(("Abbey Road", "Knightsbridge & Belgravia"), ("Abbey Road", "Maida Vale")),
    )
    named = analyse(make_table(_rows(make_row)), config=config).findings
    named = named[named["finding_type"] == "named ward gap"].set_index("comparator")
    lower = named.loc["Knightsbridge & Belgravia"]
    half = _half_width("Abbey Road", "Knightsbridge & Belgravia")  # sqrt(1.2² + 2²)
    assert half == pytest.approx(math.sqrt(5.44))
    assert lower["difference"] == pytest.approx(82.0 - 90.0)
    assert lower["difference_lower_95"] == pytest.approx(-8.0 - half, abs=1e-6)
    assert lower["difference_upper_95"] == pytest.approx(-8.0 + half, abs=1e-6)
    assert lower["sentence"] == (
        "Male life expectancy at birth was 8.0 years lower in Abbey Road than in "
        "Knightsbridge & Belgravia (5.7 to 10.3 years)."
    )
    similar = named.loc["Maida Vale"]
    half = _half_width("Abbey Road", "Maida Vale")  # sqrt(1.2² + 1.5²)
    assert similar["difference_lower_95"] == pytest.approx(0.5 - half, abs=1e-6)
    assert not similar["significant"]
    assert similar["sentence"] == (
        "Male life expectancy at birth differed by 0.5 years between Abbey Road and "
        "Maida Vale (\u22121.4 to 2.4), not clearly different from no gap."
    )


def test_suppressed_ward_gives_no_number_and_says_which(make_row, make_table, config):
    suppressed = {
        "value": float("nan"),
        "lower_95": float("nan"),
        "upper_95": float("nan"),
        "suppressed": True,
    }
    rows = _rows(make_row, Westbourne=suppressed)
    findings = analyse(make_table(rows), config=config).findings
    gap = _named(findings).loc["Knightsbridge & Belgravia"]
    assert not gap["published"]
    for column in (
        "value",
        "comparator_value",
        "difference",
        "difference_lower_95",
        "difference_upper_95",
        "p_value",
    ):
        assert math.isnan(gap[column]), column
    assert "no published value for Westbourne" in gap["note"]
    assert gap["sentence"] == (
        "Male life expectancy at birth is not compared between Knightsbridge & Belgravia "
        "and Westbourne: there is no published value for Westbourne."
    )
    widest = findings[findings["finding_type"] == "widest ward gap"].iloc[0]
    assert widest["comparator"] == "Maida Vale"  # a suppressed ward is never the lowest


def test_unstable_or_absent_ward_is_not_quoted(make_row, make_table, config):
    # 5 deaths: below the small-number rule (numerator < 10), so not published
    rows = _rows(make_row, **{"Knightsbridge & Belgravia": {"numerator": 5}})
    hle = [
        {**row, "indicator_id": "hle_male", "indicator_name": "Male HLE"}
        for row in _rows(make_row)
        if row["category"] != "Westbourne"
    ]
    findings = analyse(make_table(rows + hle), config=config).findings
    named = findings[findings["finding_type"] == "named ward gap"].set_index("indicator_id")
    unstable = named.loc["le_male"]
    assert not unstable["published"] and math.isnan(unstable["difference"])
    assert "no published value for Knightsbridge & Belgravia" in unstable["note"]
    absent = named.loc["hle_male"]
    assert absent["comparator"] == "Westbourne" and math.isnan(absent["difference"])
    assert absent["sentence"].endswith("there is no published value for Westbourne.")


def test_named_gap_within_each_sex(make_row, make_table, config):
    rows = []
    for sex, shift in (("Male", 0.0), ("Female", 4.0)):
        for ward, (value, low, high) in WARDS.items():
            rows.append(
                make_row(
                    "le_male",
                    "sex×ward",
                    f"{sex} × {ward}",
                    numerator=150,
                    denominator=20_000,
                    value=value + shift,
                    lower_95=low + shift,
                    upper_95=high + shift,
                )
            )
    named = _named(analyse(make_table(rows), config=config).findings)
    assert sorted(named.index) == [
        "Female × Knightsbridge & Belgravia",
        "Male × Knightsbridge & Belgravia",
    ]
    female = named.loc["Female × Knightsbridge & Belgravia"]
    assert female["comparator"] == "Female × Westbourne"
    assert female["difference"] == pytest.approx(18.0)
    assert female["sentence"].startswith(
        "Male life expectancy at birth among female residents was 18.0 years higher in "
        "Knightsbridge & Belgravia than in Westbourne"
    )


def test_unknown_ward_name_is_an_input_error(make_row, make_table):
    config = EquityConfig(ward_pairs=(("Knightsbridge & Belgravia", "Westbourn"),))
    with pytest.raises(InputError) as caught:
        analyse(make_table(_rows(make_row)), config=config)
    message = str(caught.value)
    assert "column 'ward_pairs'" in message and "value 'Westbourn'" in message


def test_ward_pairs_from_yaml_mapping():
    config = EquityConfig.from_mapping({"ward_pairs": [["Church Street", "Regent's Park"]]})
    assert config.ward_pairs == (("Church Street", "Regent's Park"),)
    assert EquityConfig().ward_pairs == (("Knightsbridge & Belgravia", "Westbourne"),)
    for bad in ([["Church Street"]], [["Pimlico North", "Pimlico North"]], "Church Street"):
        with pytest.raises(InputError, match="column 'ward_pairs'"):
            EquityConfig.from_mapping({"ward_pairs": bad})
