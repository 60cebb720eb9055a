"""Plain-English sentences for equity findings: exact wording for the main cases."""

from __future__ import annotations

import math
from typing import Any

import pytest

from jsna.codes.ethnicity import ETHNICITY_19
from jsna.report.narrative import finding_sentence, group_phrase, ratio_comparison, ratio_words

NAN = math.nan


def finding(**values: Any) -> dict[str, Any]:
    """A findings row with the columns the narrative reads (values chosen by the test)."""
    row = {
        "finding_type": "group vs reference", "indicator_id": "ltc_hypertension",
        "indicator_name": "Hypertension recorded prevalence", "area_name": "Westminster",
        "dimension": "ethnicity_19", "category": "Black Caribbean",
        "comparator_dimension": "ethnicity_19", "comparator": "White British",
        "statistic": "proportion", "polarity": "lower_is_better", "multiplier": 100.0,
        "value_type": "age-standardised", "value": 18.0, "lower_95": 16.0, "upper_95": 20.2,
        "comparator_value": 9.0, "ratio": 2.0, "ratio_lower_95": 1.9, "ratio_upper_95": 2.2,
        "crude_ratio": 2.4, "difference": 9.0, "difference_lower_95": 7.0,
        "difference_upper_95": 11.0, "significant": True, "direction": "higher",
        "published": True, "suppressed": False, "collapsed_to_dimension": "",
        "collapsed_to_category": "", "people_to_close_gap": NAN,
        "people_to_close_gap_lower_95": NAN, "people_to_close_gap_upper_95": NAN,
    }
    row.update(values)
    return row


@pytest.mark.parametrize(
    ("ratio", "words"),
    [(1.44, "about one and a half times"), (1.56, "about one and a half times"),
     (1.66, "1.7 times"), (1.94, "about twice"), (2.06, "about twice"), (2.4, "2.4 times"),
     (2.93, "about three times"), (3.84, "3.8 times")],
)
def test_ratio_words(ratio, words):
    assert ratio_words(ratio) == words


def test_ratios_below_one():
    assert ratio_comparison(0.64, 0.6, 0.69, adjective="likely") == (
        "36% less likely than", "31% to 40% less")
    assert ratio_comparison(0.52, 0.45, 0.6, adjective="likely") == (
        "about half as likely as", "0.45 to 0.60 times")
    assert ratio_comparison(1.04, 1.01, 1.07, adjective="high") == (
        "4% higher than", "1% to 7% higher")


@pytest.mark.parametrize(
    ("dimension", "category", "phrase"),
    [("ethnicity_19", "Bangladeshi", "Bangladeshi residents"),
     ("ethnicity_19", "Asian other", "residents from the Asian other ethnic group"),
     ("ethnicity_19", "Any other ethnic group", "residents from any other ethnic group"),
     ("ethnicity_19", "Not stated", "residents whose ethnic group was not stated or not recorded"),
     ("global_majority", "Global Majority", "Global Majority residents"),
     ("imd_quintile", "3", "residents of neighbourhoods in deprivation quintile 3"),
     ("ward", "Westbourne", "residents of Westbourne"),
     ("main_language", "Arabic", "residents whose main language is Arabic"),
     ("age_band", "90+", "residents aged 90 and over"),
     ("ethnicity_5×sex", "Black × Female", "Black female residents"),
     ("global_majority×ward", "Global Majority × Church Street",
      "Global Majority residents of Church Street"),
     ("ethnicity_5", "Mixed", "residents from Mixed or Multiple ethnic groups"),
     ("ethnicity_5×imd_quintile", "Not stated × 1 (most deprived)",
      "residents of the most deprived fifth of neighbourhoods whose ethnic group was not "
      "stated or not recorded"),
     ("ethnicity_5×sex", "Other × Male", "male residents from the Other ethnic group")],
)
def test_group_phrases(dimension, category, phrase):
    assert group_phrase(dimension, category, "Westminster") == phrase


def test_significant_ratio_with_and_without_a_phrase():
    assert finding_sentence(finding()) == (
        "Hypertension recorded prevalence was about twice as high among Black Caribbean "
        "residents as among White British residents (1.9 to 2.2 times; age-standardised; "
        "crude ratio 2.4).")
    phrases = {"ltc_hypertension": "have hypertension recorded"}
    assert finding_sentence(finding(), phrases) == (
        "Black Caribbean residents were about twice as likely as White British residents to "
        "have hypertension recorded (1.9 to 2.2 times; age-standardised; crude ratio 2.4).")
    bangladeshi = finding(category="Bangladeshi", ratio=3.84, ratio_lower_95=3.41,
                          ratio_upper_95=4.32, crude_ratio=NAN, value_type="crude",
                          indicator_name="Diabetes recorded prevalence")
    assert finding_sentence(bangladeshi) == (
        "Diabetes recorded prevalence was 3.8 times as high among Bangladeshi residents as "
        "among White British residents (3.4 to 4.3 times; crude).")


def test_names_describing_people_become_a_share():
    row = finding(indicator_id="wd_social_renting", value_type="crude", crude_ratio=NAN,
                  indicator_name="Residents living in social rented housing",
                  dimension="main_language", category="Arabic", comparator_dimension="all",
                  comparator="All", ratio=1.8, ratio_lower_95=1.6, ratio_upper_95=2.0)
    assert finding_sentence(row) == (
        "The share of residents living in social rented housing was 1.8 times as high among "
        "residents whose main language is Arabic as among residents of Westminster as a whole "
        "(1.6 to 2.0 times; crude).")


def test_a_zero_reference_is_told_as_a_difference():
    row = finding(indicator_name="Share of residents whose main language is Arabic",
                  category="Arab", value_type="crude", ratio=NAN, crude_ratio=NAN,
                  difference=41.27, difference_lower_95=35.0, difference_upper_95=47.5)
    assert finding_sentence(row) == (
        "Share of residents whose main language is Arabic was 41.3 percentage points higher "
        "among Arab residents than among White British residents (35.0 to 47.5 percentage "
        "points; crude).")


def test_similar_when_not_significant_after_fdr():
    # the interval excludes 1, but the q-value did not pass: no language of difference
    row = finding(category="Chinese", ratio=1.08, ratio_lower_95=1.01, ratio_upper_95=1.16,
                  significant=False, direction="similar", crude_ratio=NAN, value_type="crude")
    assert finding_sentence(row) == (
        "Hypertension recorded prevalence among Chinese residents was similar to that among "
        "White British residents (ratio 1.08, 1.01 to 1.16; crude).")


def test_uptake_gap_with_people_to_reach():
    row = finding(indicator_id="flu_65", indicator_name="Flu vaccination uptake (65+)",
                  category="Black African", polarity="higher_is_better", value_type="crude",
                  value=45.0, lower_95=41.1, upper_95=49.0, comparator_value=70.0,
                  ratio=0.64, ratio_lower_95=0.59, ratio_upper_95=0.71, direction="lower",
                  people_to_close_gap=1234.4, people_to_close_gap_lower_95=1100.2,
                  people_to_close_gap_upper_95=1370.0)
    assert finding_sentence(row) == (
        "Flu vaccination uptake (65+) was lower among Black African residents than among "
        "White British residents: 45.0% (41.1% to 49.0%) compared with 70.0%. About 1,234 "
        "more people (1,100 to 1,370) would need to be reached to close the gap.")
    phrases = {"flu_65": "have been offered and received a flu vaccination"}
    assert finding_sentence(row, phrases).startswith(
        "Black African residents were less likely than White British residents to have been "
        "offered and received a flu vaccination: 45.0% (41.1% to 49.0%) compared with 70.0%.")


def test_suppressed_counts_are_never_quoted():
    # counts suppressed: the analysis leaves people_to_close_gap missing, and no count appears
    row = finding(indicator_id="flu_65", indicator_name="Flu vaccination uptake (65+)",
                  category="Mixed White and Asian", polarity="higher_is_better",
                  value_type="crude", value=51.5, lower_95=50.5, upper_95=52.5,
                  comparator_value=70.0, direction="lower", suppressed=True)
    assert finding_sentence(row) == (
        "Flu vaccination uptake (65+) was lower among Mixed White and Asian residents than "
        "among White British residents: 51.5% (50.5% to 52.5%) compared with 70.0%.")
    hidden = finding(published=False, suppressed=True, value=NAN, ratio=NAN)
    assert finding_sentence(hidden) == (
        "Hypertension recorded prevalence for Black Caribbean residents is not shown, to "
        "protect confidentiality.")


def test_ward_gap_names_both_wards():
    row = finding(finding_type="widest ward gap", indicator_name="Life expectancy at birth, males",
                  statistic="life expectancy", polarity="higher_is_better", dimension="ward",
                  category="Knightsbridge & Belgravia", comparator_dimension="ward",
                  comparator="Westbourne", value_type="crude", ratio=NAN, difference=18.04,
                  difference_lower_95=15.22, difference_upper_95=20.86)
    assert finding_sentence(row) == (
        "Life expectancy at birth (males) was 18.0 years higher in Knightsbridge & Belgravia "
        "than in Westbourne (15.2 to 20.9 years), the widest gap between two wards of "
        "Westminster.")


def test_life_expectancy_difference_in_years():
    row = finding(indicator_name="Male life expectancy at birth", statistic="life expectancy",
                  polarity="higher_is_better", dimension="ward", category="Westbourne",
                  comparator_dimension="all", comparator="All", value_type="crude",
                  difference=-8.04, difference_lower_95=-9.61, difference_upper_95=-6.47,
                  ratio=NAN, direction="lower")
    assert finding_sentence(row) == (
        "Male life expectancy at birth among residents of Westbourne was 8.0 years lower than "
        "among residents of Westminster as a whole (6.5 to 9.6 years).")


def test_no_collective_acronyms_for_any_ethnic_group():
    for label in ETHNICITY_19:
        text = finding_sentence(finding(category=label)).lower()
        assert "bame" not in text and "bme" not in text
        assert label.lower() in text


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        ({"finding_type": "widest ward gap", "statistic": "life expectancy",
          "indicator_name": "Life expectancy at 65, females", "dimension": "ward",
          "category": "Hyde Park", "comparator_dimension": "ward", "comparator": "Abbey Road",
          "difference": 1.2, "difference_lower_95": -0.5, "difference_upper_95": 2.9,
          "significant": False},
         "The widest gap in life expectancy at 65 (females) between two wards of Westminster, "
         "Hyde Park and Abbey Road, was 1.2 years (\u22120.5 to 2.9), not clearly different from "
         "no gap."),
        ({"statistic": "healthy life expectancy", "indicator_name": "Healthy life expectancy",
          "dimension": "imd_quintile", "category": "4",
          "comparator_dimension": "imd_quintile", "comparator": "5 (least deprived)",
          "difference": 2.5, "difference_lower_95": 1.0, "difference_upper_95": 4.0},
         "Healthy life expectancy among residents of neighbourhoods in deprivation quintile 4 "
         "was 2.5 years higher than among residents of the least deprived fifth of "
         "neighbourhoods (1.0 to 4.0 years)."),
        ({"ratio": NAN, "difference": -0.04, "difference_lower_95": -0.31,
          "difference_upper_95": 0.23, "significant": False, "dimension": "sex",
          "category": "Not known", "comparator_dimension": "all", "comparator": "All"},
         "Hypertension recorded prevalence among residents whose sex was not recorded was "
         "similar to that among residents of Westminster as a whole (difference 0.0 "
         "percentage points, \u22120.3 to 0.2)."),
        ({"polarity": "higher_is_better", "indicator_name": "Breast screening coverage",
          "value_type": "crude", "value": 75.0, "lower_95": 72.0, "upper_95": 77.8,
          "comparator_value": 68.0, "direction": "higher", "dimension": "main_language",
          "category": "Not recorded", "comparator_dimension": "all", "comparator": "All"},
         "Breast screening coverage was higher among residents whose main language was not "
         "recorded than among residents of Westminster as a whole: 75.0% (72.0% to 77.8%) "
         "compared with 68.0%."),
    ],
)
def test_other_shapes_of_finding(values, sentence):
    assert finding_sentence(finding(**values)) == sentence


def test_intervals_and_clauses_stay_readable():
    assert ratio_comparison(0.12, 0.118, 0.122, adjective="high") == (
        "88% lower than", "87.8% to 88.2% lower")
    assert group_phrase("main_language×sex", "Arabic × Not known") == (
        "residents whose main language is Arabic and whose sex was not recorded")
