"""A small, realistic tidy table and findings table, made by hand for report tests.

The report reads only the tidy result (docs/tidy-table.md) and the equity
findings, so its tests need neither the synthetic population nor the engine.
Counts below are chosen by hand to look like Westminster (18 wards, the ONS 19
ethnic groups plus "Not stated", Arabic as a large language community); the
statistics are computed here with textbook formulas (Wilson score interval,
Katz log ratio interval), independently of any jsna code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

ETHNICITY_19 = [
    "Bangladeshi", "Chinese", "Indian", "Pakistani", "Asian other",
    "Black African", "Black Caribbean", "Black other",
    "Mixed White and Asian", "Mixed White and Black African",
    "Mixed White and Black Caribbean", "Mixed other",
    "White British", "White Irish", "White Gypsy or Irish Traveller", "Roma", "White other",
    "Arab", "Any other ethnic group", "Not stated",
]  # fmt: skip
ETHNICITY_5 = ["Asian", "Black", "Mixed", "White", "Other", "Not stated"]
WARDS = [
    "Abbey Road", "Bayswater", "Church Street", "Harrow Road", "Hyde Park",
    "Knightsbridge & Belgravia", "Lancaster Gate", "Little Venice", "Maida Vale",
    "Marylebone", "Pimlico North", "Pimlico South", "Queen's Park", "Regent's Park",
    "St James's", "Vincent Square", "West End", "Westbourne",
]  # fmt: skip
LANGUAGES = ["English", "Arabic", "Bengali (with Sylheti and Chatgaya)", "Spanish", "Not recorded"]
IMD = ["1 (most deprived)", "2", "3", "4", "5 (least deprived)"]

# residents per group (about a twentieth of Westminster, so the fixture stays small)
PEOPLE_19 = dict(zip(ETHNICITY_19, [
    420, 260, 300, 110, 330, 520, 180, 160, 150, 60, 90, 230,
    3400, 230, 12, 40, 2300, 820, 700, 830,
], strict=True))  # fmt: skip
PEOPLE_LANGUAGE = dict(zip(LANGUAGES, [8300, 370, 260, 300, 1912], strict=True))
PEOPLE_WARD = {ward: 500 + 23 * i for i, ward in enumerate(WARDS)}

Z95, Z998 = 1.959963984540054, 3.090232306167813
# what the tests pass to publish() as metadata
METADATA = {"synthetic": True, "title": "JSNA: Global Majority residents", "seed": 42}

COLUMNS = [
    "indicator_id", "indicator_name", "domain", "period", "area_code", "area_name", "area_type",
    "dimension", "category", "numerator", "denominator", "value", "lower_95", "upper_95",
    "lower_998", "upper_998", "value_type", "multiplier", "age_standardised", "method",
    "polarity", "comparator", "ratio_to_comparator", "ratio_lower_95", "ratio_upper_95",
    "difference_to_comparator", "difference_lower_95", "difference_upper_95", "p_value",
    "q_value", "significance", "suppressed", "note", "synthetic",
]  # fmt: skip


def wilson(x: float, n: float, z: float) -> tuple[float, float]:
    """Wilson (1927) score interval for x successes out of n."""
    p = x / n
    centre = (2 * x + z * z) / (2 * (n + z * z))
    half = z * math.sqrt(z * z + 4 * x * (1 - p)) / (2 * (n + z * z))
    return centre - half, centre + half


def _row(**fields: object) -> dict[str, object]:
    base: dict[str, object] = dict.fromkeys(COLUMNS, np.nan)
    base.update(
        area_code="E09000033", area_name="Westminster", area_type="Local authority",
        comparator="", significance="Not compared", suppressed=False, note="",
        synthetic=True, age_standardised=False,
    )  # fmt: skip
    base.update(fields)
    return base


def _proportion_rows(
    meta: dict[str, object], dimension: str, counts: dict[str, tuple[int, int]],
    reference: str | None, standardised: dict[str, float] | None = None,
) -> list[dict[str, object]]:  # fmt: skip
    """Crude (and optionally age-standardised) percentage rows for one dimension."""
    rows = []
    polarity = meta["polarity"]
    for variant in ("crude", "standardised") if standardised else ("crude",):
        ref_x, ref_n = counts[reference] if reference else (0, 0)
        for category, (x, n) in counts.items():
            fields = dict(meta, dimension=dimension, category=category, multiplier=100.0)
            if variant == "standardised":
                assert standardised is not None
                factor = standardised[category]
                fields.update(value_type="age-standardised rate", age_standardised=True,
                              method="Dobson")  # fmt: skip
            else:
                factor = 1.0
                fields.update(value_type="proportion", method="Wilson")
            if x < 10 and meta.get("suppress_small", False):
                rows.append(_row(**fields, denominator=float(n), suppressed=True,
                                 note="Suppressed: numerator below 10."))  # fmt: skip
                continue
            low95, up95 = wilson(x, n, Z95)
            low998, up998 = wilson(x, n, Z998)
            fields.update(
                numerator=float(x), denominator=float(n), value=100 * factor * x / n,
                lower_95=100 * factor * low95, upper_95=100 * factor * up95,
                lower_998=100 * factor * low998, upper_998=100 * factor * up998,
            )  # fmt: skip
            if reference and category != reference and x > 0:
                ratio = (x / n) / (ref_x / ref_n)
                se = math.sqrt(1 / x - 1 / n + 1 / ref_x - 1 / ref_n)
                lo, hi = ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se)
                if lo > 1:
                    word = {"higher_is_better": "Better", "lower_is_better": "Worse"}.get(
                        str(polarity), "Higher"
                    )
                elif hi < 1:
                    word = {"higher_is_better": "Worse", "lower_is_better": "Better"}.get(
                        str(polarity), "Lower"
                    )
                else:
                    word = "Similar"
                z = math.log(ratio) / se
                fields.update(
                    comparator=reference, ratio_to_comparator=ratio, ratio_lower_95=lo,
                    ratio_upper_95=hi, difference_to_comparator=100 * (x / n - ref_x / ref_n),
                    p_value=math.erfc(abs(z) / math.sqrt(2)), significance=word,
                )  # fmt: skip
            rows.append(_row(**fields))
    return rows


def _counts(people: dict[str, int], rates: dict[str, float]) -> dict[str, tuple[int, int]]:
    return {k: (round(n * rates[k]), n) for k, n in people.items()}


def tidy_table(*, synthetic: bool = True) -> pd.DataFrame:
    """The hand-made tidy table: 9 indicators across every report section."""
    rows: list[dict[str, object]] = []
    total = sum(PEOPLE_19.values())

    population = {
        "indicator_id": "pop_share",
        "indicator_name": "Residents by group",
        "domain": "population",
        "period": "2023/24",
        "polarity": "no_judgement",
    }
    for dimension, people in (("ethnicity_19", PEOPLE_19), ("main_language", PEOPLE_LANGUAGE),
                              ("ward", PEOPLE_WARD)):  # fmt: skip
        shares = {k: (n, total) for k, n in people.items()}
        rows += _proportion_rows(population, dimension, shares, None)
    rows += _proportion_rows(population, "all", {"All": (total, total)}, None)

    hyper_rate = {g: 0.12 for g in ETHNICITY_19} | {"Black Caribbean": 0.24, "Black African":
                  0.18, "Bangladeshi": 0.16, "Not stated": 0.10}  # fmt: skip
    age_adjust = {g: 1.0 + 0.01 * i for i, g in enumerate(ETHNICITY_19)}
    hyper = {"indicator_id": "ltc_hypertension_prevalence", "polarity": "lower_is_better",
             "indicator_name": "Hypertension: recorded prevalence", "period": "2023/24",
             "domain": "long-term conditions"}  # fmt: skip
    rows += _proportion_rows(hyper, "ethnicity_19", _counts(PEOPLE_19, hyper_rate),
                             "White British", age_adjust)  # fmt: skip
    all_hyper = sum(round(n * hyper_rate[k]) for k, n in PEOPLE_19.items())
    rows += _proportion_rows(hyper, "all", {"All": (all_hyper, total)}, None, {"All": 1.0})
    ward_hyper = {w: (round(n * (0.09 + 0.003 * i)), n) for i, (w, n) in
                  enumerate(PEOPLE_WARD.items())} | {"All": (all_hyper, total)}  # fmt: skip
    ward_rows = _proportion_rows(hyper, "ward", ward_hyper, "All")
    rows += [r for r in ward_rows if r["category"] != "All"]
    cross = {f"{e} × {q}": (40 + 3 * i + 2 * j, 300 + 10 * i) for i, e in enumerate(ETHNICITY_5)
             for j, q in enumerate(IMD)}  # fmt: skip
    cross["Black × 1 (most deprived)"] = (95, 310)
    cross_ref = "White × 5 (least deprived)"
    rows += _proportion_rows(hyper, "ethnicity_5×imd_quintile", cross, cross_ref)

    diabetes = {"indicator_id": "ltc_diabetes_prevalence", "polarity": "lower_is_better",
                "indicator_name": "Diabetes: recorded prevalence (17+)", "period": "2023/24",
                "domain": "long-term conditions"}  # fmt: skip
    diab_rate = {g: 0.05 for g in ETHNICITY_19} | {"Bangladeshi": 0.19, "Black Caribbean": 0.15}
    rows += _proportion_rows(diabetes, "ethnicity_19", _counts(PEOPLE_19, diab_rate),
                             "White British", age_adjust)  # fmt: skip

    flu = {"indicator_id": "flu_vaccination_65plus", "polarity": "higher_is_better",
           "indicator_name": "Flu vaccination uptake, aged 65 and over", "period": "2023/24",
           "domain": "prevention", "suppress_small": True}  # fmt: skip
    flu_rate = {g: 0.6 for g in ETHNICITY_19} | {"White British": 0.7, "Black African": 0.45,
                "Mixed other": 0.45}  # fmt: skip
    flu_people = {g: max(n // 6, 5) for g, n in PEOPLE_19.items()}
    rows += [{k: v for k, v in r.items() if k != "suppress_small"} for r in _proportion_rows(
        flu, "ethnicity_19", _counts(flu_people, flu_rate), "White British")]  # fmt: skip

    social = {"indicator_id": "wd_social_rented", "polarity": "no_judgement",
              "indicator_name": "Living in social rented housing", "period": "2021",
              "domain": "wider determinants"}  # fmt: skip
    lang_social = {"English": (0.26, 8300), "Arabic": (0.50, 370),
                   "Bengali (with Sylheti and Chatgaya)": (0.55, 260), "Spanish": (0.2, 300),
                   "Not recorded": (0.3, 1912)}  # fmt: skip
    counts = {k: (round(r * n), n) for k, (r, n) in lang_social.items()}
    counts["All"] = (sum(x for x, _ in counts.values()), total)
    rows += _proportion_rows(social, "main_language", counts, "All")
    lltc = {"indicator_id": "wd_limiting_condition", "polarity": "lower_is_better",
            "indicator_name": "Limiting long-term condition", "period": "2021",
            "domain": "wider determinants"}  # fmt: skip
    lang_lltc = {"English": 0.13, "Arabic": 0.34, "Bengali (with Sylheti and Chatgaya)": 0.2,
                 "Spanish": 0.1, "Not recorded": 0.15}  # fmt: skip
    counts = _counts(PEOPLE_LANGUAGE, lang_lltc)
    counts["All"] = (sum(x for x, _ in counts.values()), total)
    rows += _proportion_rows(lltc, "main_language", counts, "All")

    recorded = {"indicator_id": "dq_ethnicity_recorded", "polarity": "higher_is_better",
                "indicator_name": "Ethnicity recorded (not 'Not stated')", "period": "2023/24",
                "domain": "data quality"}  # fmt: skip
    counts = {w: (n - 20 - i, n) for i, (w, n) in enumerate(PEOPLE_WARD.items())}
    rows += _proportion_rows(recorded, "ward", counts, None)

    mortality = {
        "indicator_id": "mort_u75_all_cause",
        "polarity": "lower_is_better",
        "indicator_name": "Under-75 mortality from all causes",
        "domain": "mortality",
        "period": "2019/20-23/24",
        "value_type": "age-standardised rate",
        "multiplier": 100000.0,
        "age_standardised": True,
        "method": "Dobson",
    }
    for i, ward in enumerate(WARDS):
        deaths, years = 10.0 + 2 * i, 2500.0 + 115 * i
        rate = 1e5 * deaths / years
        rows.append(
            _row(
                **mortality,
                dimension="ward",
                category=ward,
                numerator=deaths,
                denominator=years,
                value=rate,
                lower_95=rate * 0.6,
                upper_95=rate * 1.5,
                lower_998=rate * 0.5,
                upper_998=rate * 1.8,
            )
        )

    for sex, base in (("Male", 80.0), ("Female", 84.0)):
        for kind, offset in (("life expectancy", 0.0), ("healthy life expectancy", -15.0)):
            short = "le" if kind == "life expectancy" else "hle"
            meta = {
                "indicator_id": f"{short}_birth_{sex.lower()}",
                "domain": "life expectancy",
                "indicator_name": f"{kind.capitalize()} at birth, {sex.lower()}s",
                "period": "2019/20-23/24",
                "value_type": kind,
                "polarity": "higher_is_better",
                "method": "Chiang II (Silcocks)" if short == "le" else "Sullivan",
            }
            for i, ward in enumerate(WARDS):
                value = (
                    base
                    + offset
                    + (9 if ward == "Knightsbridge & Belgravia" else 0)
                    - (9 if ward == "Westbourne" else 0)
                    + 0.1 * i
                )
                rows.append(
                    _row(
                        **meta,
                        dimension="ward",
                        category=ward,
                        value=value,
                        lower_95=value - 1.8,
                        upper_95=value + 1.8,
                        lower_998=value - 2.9,
                        upper_998=value + 2.9,
                    )
                )
            rows.append(
                _row(
                    **meta,
                    dimension="all",
                    category="All",
                    value=base + offset,
                    lower_95=base + offset - 0.5,
                    upper_95=base + offset + 0.5,
                    lower_998=base + offset - 0.8,
                    upper_998=base + offset + 0.8,
                )
            )

    table = pd.DataFrame(rows, columns=COLUMNS)
    table["synthetic"] = synthetic
    for name in ("suppressed", "age_standardised", "synthetic"):
        table[name] = table[name].astype(bool)
    return table


FINDING_COLUMNS = [
    "finding_id", "rank", "indicator_id", "indicator_name", "domain", "dimension", "category",
    "comparator", "value_type", "ratio", "ratio_lower_95", "ratio_upper_95", "significant",
    "people_affected", "score", "sentence", "table_anchor", "note",
]  # fmt: skip


def findings_table() -> pd.DataFrame:
    """Eight findings in the shape jsna.equity produces, sentences written by hand."""
    entries = [
        ("ltc_hypertension_prevalence", "long-term conditions", "ethnicity_19", "Black Caribbean",
         "White British", 2.0, 1.7, 2.4, True, 180,
         "Black Caribbean residents were about twice as likely as White British residents to "
         "have recorded hypertension (1.7 to 2.4 times)."),
        ("ltc_diabetes_prevalence", "long-term conditions", "ethnicity_19", "Bangladeshi",
         "White British", 3.8, 3.1, 4.6, True, 420,
         "Bangladeshi residents were 3.8 times as likely as White British residents to have "
         "recorded diabetes (3.1 to 4.6 times)."),
        ("flu_vaccination_65plus", "prevention", "ethnicity_19", "Black African",
         "White British", 0.64, 0.55, 0.75, True, 86,
         "Black African residents aged 65 and over were less likely to have received a flu "
         "vaccination than White British residents (45% compared with 70%)."),
        ("le_birth_male", "life expectancy", "ward", "Knightsbridge & Belgravia",
         "Westbourne", np.nan, np.nan, np.nan, True, np.nan,
         "Male life expectancy at birth was 18.5 years longer in Knightsbridge & Belgravia "
         "than in Westbourne (14.9 to 22.1 years)."),
        ("wd_limiting_condition", "wider determinants", "main_language", "Arabic", "All",
         2.6, 2.3, 3.0, True, 370,
         "Residents whose main language is Arabic were about two and a half times as likely "
         "as all residents to have a limiting long-term condition (34% compared with 13%)."),
        ("ltc_hypertension_prevalence", "long-term conditions", "ethnicity_5×imd_quintile",
         "Black × 1 (most deprived)", "White × 5 (least deprived)", 2.4, 1.8, 3.1, True, 310,
         "Black residents in the most deprived fifth of the borough were 2.4 times as likely "
         "as White residents in the least deprived fifth to have recorded hypertension."),
        ("mort_u75_all_cause", "mortality", "ward", "Westbourne", "All", 1.4, 1.0, 1.9, False,
         4600, "Under-75 mortality in Westbourne was similar to the borough's."),
        ("dq_ethnicity_recorded", "data quality", "ward", "Westbourne", "All", 0.97, 0.95,
         0.99, True, 891, "Ethnicity was recorded for 96% of residents registered in Westbourne."),
    ]  # fmt: skip
    rows = []
    for rank, entry in enumerate(entries, start=1):
        (indicator, domain, dimension, category, comparator, ratio, lo, hi, significant,
         people, sentence) = entry  # fmt: skip
        rows.append({
            "finding_id": f"F{rank:03d}", "rank": rank, "indicator_id": indicator,
            "indicator_name": indicator.replace("_", " ").capitalize(), "domain": domain,
            "dimension": dimension, "category": category, "comparator": comparator,
            "value_type": "proportion", "ratio": ratio, "ratio_lower_95": lo,
            "ratio_upper_95": hi, "significant": significant, "people_affected": people,
            "score": 1.0 / rank, "sentence": sentence, "table_anchor": f"#table-{indicator}",
            "note": "",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)
