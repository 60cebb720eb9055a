"""Derive the reference tables that ship inside the jsna package.

Run once by a maintainer, with the public source files in ``--raw`` (the
layout of the shared data folder); the outputs are committed. The installed
package never reads the source files, only what this script writes:

* ``src/jsna/codes/data/ethnicity_codes.csv`` — every SNOMED CT ethnicity
  concept of the OpenSAFELY ``ethnicity-snomed-0removed`` list and the NHS
  Data Dictionary SNOMED → ethnic category map, classified by *our* rules into
  the ONS 2021 groups (see :func:`classify_concept`), plus the NHS ethnic
  category letters.
* ``src/jsna/codes/data/lsoa21_ward22_westminster.csv`` — LSOA 2021 → ward
  2022 best fit by largest area share (geometric stand-in, see its README).
* ``src/jsna/codes/data/imd2019_lsoa21_westminster.csv`` — IMD 2019 carried
  from LSOA 2011 to LSOA 2021.
* the generated block of ``westminster.yaml``: the Census 2021 margins, the
  ward age shape from the ONS mid-2019 LSOA estimates (:func:`ward_age_shape`)
  and the ward mortality positions.

Usage: ``python calibration/derive_reference_data.py --raw /work/shared/data``
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODES = ROOT / "src" / "jsna" / "codes" / "data"
BOROUGH = "E09000033"

# OpenSAFELY Grouping_16 → ONS 2021 group (before the term refinements below).
GROUPING_16 = {
    "1": "White British",
    "2": "White Irish",
    "3": "White other",
    "4": "Mixed White and Black Caribbean",
    "5": "Mixed White and Black African",
    "6": "Mixed White and Asian",
    "7": "Mixed other",
    "8": "Indian",
    "9": "Pakistani",
    "10": "Bangladeshi",
    "11": "Asian other",
    "12": "Black Caribbean",
    "13": "Black African",
    "14": "Black other",
    "15": "Chinese",
    "16": "Any other ethnic group",
}

LETTERS = {
    "A": ("British", "White British"),
    "B": ("Irish", "White Irish"),
    "C": ("Any other White background", "White other"),
    "D": ("White and Black Caribbean", "Mixed White and Black Caribbean"),
    "E": ("White and Black African", "Mixed White and Black African"),
    "F": ("White and Asian", "Mixed White and Asian"),
    "G": ("Any other mixed background", "Mixed other"),
    "H": ("Indian", "Indian"),
    "J": ("Pakistani", "Pakistani"),
    "K": ("Bangladeshi", "Bangladeshi"),
    "L": ("Any other Asian background", "Asian other"),
    "M": ("Caribbean", "Black Caribbean"),
    "N": ("African", "Black African"),
    "P": ("Any other Black background", "Black other"),
    "R": ("Chinese", "Chinese"),
    "S": ("Any other ethnic group", "Any other ethnic group"),
    "T": ("Traveller", "White Gypsy or Irish Traveller"),
    "W": ("Arab", "Arab"),
    "Z": ("Not stated", "Not stated"),
    "X": ("Not known (prior to 2013)", "Not stated"),
    "99": ("Not known (2013 onwards)", "Not stated"),
}


# Where the 2001-census concept's own category is plain and OpenSAFELY's
# grouping differs, the census category wins.
OVERRIDES = {
    "93921000000101": "White British",  # Ulster Scots: a Northern Irish/British identity
    "92641000000107": "Asian other",  # Punjabi: Indian or Pakistani, so "other Asian"
    "94061000000107": "Any other ethnic group",  # North African (2001 census "Other")
}


def classify_concept(code: str, term: str, grouping_16: str | None, letter: str | None) -> str:
    """ONS 2021 group for one SNOMED concept.

    Rules, in order: the three ``OVERRIDES``; a Roma concept (the word "Roma", not "Romany") → Roma;
    Gypsy, Romany or Traveller → White Gypsy or Irish Traveller; a concept
    that is Arab alone (not "Black Arab", not "Arab and/or Iranian", not
    "excluding ... Arab") → Arab; otherwise the OpenSAFELY Grouping_16 class,
    or for concepts outside that list the NHS letter's class.
    """
    if code in OVERRIDES:
        return OVERRIDES[code]
    if re.search(r"\bRoma\b", term):
        return "Roma"
    if re.search(r"gyps|romany|traveller", term, re.IGNORECASE):
        return "White Gypsy or Irish Traveller"
    if re.search(r"\bArabs?\b", term) and not re.search(r"Black|&/or|/|excluding", term):
        return "Arab"
    if grouping_16 is not None:
        return GROUPING_16[grouping_16]
    if letter is None:
        raise ValueError(f"no class for {term!r}")
    return LETTERS[letter][1]


def ethnicity_table(raw: Path) -> list[dict[str, str]]:
    lists = raw / "raw" / "ethnicity_codelists"
    with open(lists / "opensafely-ethnicity-snomed-0removed.csv", encoding="utf-8-sig") as f:
        opensafely = {r["snomedcode"]: r for r in csv.DictReader(f)}
    with open(lists / "snomed_to_nhs_ethnic_category_mapping.csv", encoding="utf-8-sig") as f:
        nhs = {r["code"]: r for r in csv.DictReader(f)}
    rows = [
        {"code": letter, "system": "nhs_ethnic_category", "term": term, "ethnicity_19": group}
        for letter, (term, group) in LETTERS.items()
    ]
    for code in sorted(set(opensafely) | set(nhs), key=int):
        if code in opensafely:
            term = opensafely[code]["Ethnicity"]
            grouping = opensafely[code]["Grouping_16"]
        else:
            term = re.sub(
                r" \((finding|ethnic group|racial group|situation)\)$", "", nhs[code]["description"]
            )
            grouping = None
        letter = nhs[code]["ethnic_category"] if code in nhs else None
        group = classify_concept(code, term, grouping, letter)
        rows.append({"code": code, "system": "snomed_ct", "term": term, "ethnicity_19": group})
    return rows


def ward_table(raw: Path) -> list[dict[str, str]]:
    path = raw / "derived" / "lsoa21_to_ward22_westminster_geometric_bestfit.csv"
    with open(path, encoding="utf-8-sig") as f:
        return [
            {
                "lsoa21": r["LSOA21CD"],
                "lsoa21_name": r["LSOA21NM"],
                "ward_code": r["WD22CD_max_area_overlap"],
                "ward_name": r["WD22NM_max_area_overlap"],
                "area_share": r["max_area_overlap_share"],
            }
            for r in csv.DictReader(f)
        ]


def imd_table(raw: Path, lsoa21: list[str]) -> list[dict[str, str]]:
    """IMD 2019 rank per LSOA 2021, population-weighted over merged LSOA 2011."""
    imd_dir = raw / "raw" / "mhclg_imd2019"

    def read(name: str) -> list[dict[str, str]]:
        with gzip.open(imd_dir / name, "rt", encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))

    n_lsoa = 0
    rank: dict[str, int] = {}
    for r in read("File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"):
        n_lsoa += 1
        if r["Local Authority District code (2019)"] == BOROUGH:
            rank[r["LSOA code (2011)"]] = int(
                r["Index of Multiple Deprivation (IMD) Rank"].replace(",", "")
            )
    pop = {
        r["LSOA code (2011)"]: int(
            r["Total population: mid 2015 (excluding prisoners)"].replace(",", "")
        )
        for r in read("File_6_-_IoD2019_Population_Denominators.csv.gz")
        if r["LSOA code (2011)"] in rank
    }
    lookup = (
        raw
        / "raw"
        / "ons_lsoa11_lsoa21_lookup"
        / "lsoa11_to_lsoa21_best_fit_lookup_england_wales_v2.csv"
    )
    parents: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    with open(lookup, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if r["LAD22CD"] == BOROUGH:
                parents[r["LSOA21CD"]].append(r["LSOA11CD"])
                names[r["LSOA11CD"]] = r["LSOA11NM"]
    # E01035720 (Westminster 021G) is the half of the split LSOA 2011
    # E01004745 (021C) that the best-fit lookup does not list; it inherits 021C.
    parents.setdefault("E01035720", ["E01004745"])
    rows = []
    for code in lsoa21:
        sources = parents[code]
        weight = sum(pop[s] for s in sources)
        mean_rank = sum(rank[s] * pop[s] for s in sources) / weight
        rows.append(
            {
                "lsoa21": code,
                "imd_rank": f"{mean_rank:.0f}",
                "imd_decile": str(min(10, int((mean_rank - 1) * 10 // n_lsoa) + 1)),
                "lsoa11": ";".join(sources),
            }
        )
    order = sorted(range(len(rows)), key=lambda i: int(rows[i]["imd_rank"]))
    for position, i in enumerate(order):
        rows[i]["imd_quintile_borough"] = str(position * 5 // len(rows) + 1)
    return rows


MYE = "ons_mye_lsoa11_london_2019_2020"
#: The mid-year estimates' broad age groups (column suffixes), youngest first.
MYE_AGE_GROUPS = ("0-15", "16-29", "30-44", "45-64", "65+")


def ward_age_shape(raw: Path, wards: list[dict[str, str]]) -> dict[str, list[float]]:
    """Each ward's residents by sex and broad age, as shares of the ward (ONS mid-2019).

    ONS small-area population estimates for mid-2019 by LSOA 2011 are summed to
    2022 wards: LSOA 2011 → LSOA 2021 by the ONS best-fit lookup, then LSOA
    2021 → ward by ``lsoa21_ward22_westminster.csv``. Every Westminster LSOA
    2011 has one best-fit LSOA 2021 (the split E01004745's other half,
    E01035720, lies in the same ward). Shares, not counts, because the pre-2021
    estimates total 261,317 against the Census's 204,236: they serve for the
    wards' age *shape* only. Values: females in ``MYE_AGE_GROUPS`` order, then
    males, rounded to 4 decimals.
    """
    lookup = (
        raw
        / "raw"
        / "ons_lsoa11_lsoa21_lookup"
        / "lsoa11_to_lsoa21_best_fit_lookup_england_wales_v2.csv"
    )
    with open(lookup, encoding="utf-8-sig") as f:
        lsoa21_of = {r["LSOA11CD"]: r["LSOA21CD"] for r in csv.DictReader(f)}
    ward_of = {w["lsoa21"]: w["ward_code"] for w in wards}
    columns = [f"{sex}_{group}" for sex in ("Females", "Males") for group in MYE_AGE_GROUPS]
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(columns))
    with open(raw / "raw" / MYE / "london-mid2019-pop.csv", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if r["LAD11CD"] != BOROUGH:
                continue
            ward = ward_of[lsoa21_of[r["LSOA11CD"]]]
            for i, column in enumerate(columns):
                counts[ward][i] += int(r[column])
    return {
        ward: [round(c / sum(values), 4) for c in values] for ward, values in sorted(counts.items())
    }


CENSUS = "ons_census2021_ltla_nomis_bulk"
WARD_CENSUS = "ons_census2021_ward_nomis_bulk"
# TS021 column suffixes in jsna.codes.ethnicity.ETHNICITY_19 order.
TS021_GROUPS = [
    ("Bangladeshi", "Asian Welsh: Bangladeshi"),
    ("Chinese", "Asian Welsh: Chinese"),
    ("Indian", "Asian Welsh: Indian"),
    ("Pakistani", "Asian Welsh: Pakistani"),
    ("Asian other", "Asian Welsh: Other Asian"),
    ("Black African", "Caribbean or African: African"),
    ("Black Caribbean", "Caribbean or African: Caribbean"),
    ("Black other", "Caribbean or African: Other Black"),
    ("Mixed White and Asian", "Mixed or Multiple ethnic groups: White and Asian"),
    ("Mixed White and Black African", "Mixed or Multiple ethnic groups: White and Black African"),
    (
        "Mixed White and Black Caribbean",
        "Mixed or Multiple ethnic groups: White and Black Caribbean",
    ),
    ("Mixed other", "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups"),
    ("White British", "Northern Irish or British"),
    ("White Irish", "White: Irish"),
    ("White Gypsy or Irish Traveller", "White: Gypsy or Irish Traveller"),
    ("Roma", "White: Roma"),
    ("White other", "White: Other White"),
    ("Arab", "Other ethnic group: Arab"),
    ("Any other ethnic group", "Other ethnic group: Any other ethnic group"),
]
# TS024 parent category → language region (the ethnic-affinity seed row).
LANGUAGE_REGION = {
    "English (English or Welsh in Wales)": "english",
    "Arabic": "arabic",
    "Turkish": "west_asian",
    "West or Central Asian language": "west_asian",
    "Other European language (EU)": "european",
    "Other European language (non EU)": "european",
    "Other European language (EU and non-EU)": "european",
    "French": "european",
    "Portuguese": "european",
    "Spanish": "european",
    "Russian": "european",
    "East Asian language": "east_asian",
    "African language": "african",
}
LEAF_REGION = {
    "Bengali (with Sylheti and Chatgaya)": "bengali",
    "Urdu": "pakistani",
    "Pakistani Pahari (with Mirpuri and Potwari)": "pakistani",
    "Mandarin Chinese": "chinese",
    "Cantonese Chinese": "chinese",
    "All other Chinese": "chinese",
    **dict.fromkeys(
        ["Hindi", "Panjabi", "Gujarati", "Marathi", "Telugu", "Tamil", "Malayalam"], "indian"
    ),
    **dict.fromkeys(["Sinhala", "Nepalese", "Any other South Asian language"], "south_asian_other"),
}


def _ltla_row(raw: Path, table: str) -> dict[str, int]:
    path = raw / "raw" / CENSUS / f"census2021-{table}-ltla.csv"
    with open(path, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if r["geography code"] == BOROUGH:
                return {
                    k: int(v)
                    for k, v in r.items()
                    if k not in ("date", "geography", "geography code")
                }
    raise ValueError(f"{BOROUGH} not in {path}")


def census_block(
    raw: Path,
    ward_imd: dict[str, float],
    ward_ages: dict[str, list[float]],
    ward_names: dict[str, str],
) -> str:
    """The generated ``census``, ``ward_age_shape`` and ``ward_mortality_position`` blocks."""
    out = ["# --- generated by calibration/derive_reference_data.py: do not edit by hand ---"]
    out.append("census:")
    out.append("  source: >-")
    out.append("    ONS Census 2021 (Nomis bulk tables TS021 by ward; TS009, TS024, TS037, TS038,")
    out.append("    TS039, TS054, TS066 for Westminster E09000033). OGL v3.")
    out.append("  # TS021 usual residents by ward (2022) and ethnic group, columns in this order:")
    out.append("  ethnic_groups: [" + ", ".join(f'"{g}"' for g, _ in TS021_GROUPS) + "]")
    out.append("  ward_ethnicity:")
    with open(
        raw / "raw" / WARD_CENSUS / "census2021-ts021-ward-westminster.csv", encoding="utf-8-sig"
    ) as f:
        for r in csv.DictReader(f):
            values = []
            for _, suffix in TS021_GROUPS:
                (column,) = [k for k in r if k.endswith(suffix)]
                values.append(r[column])
            out.append(f"    {r['geography code']}: [{', '.join(values)}]")
    ts009 = _ltla_row(raw, "ts009")
    out.append("  # TS009 usual residents by sex and single year of age 0-89, then 90+")
    for sex in ("Female", "Male"):
        ages = [ts009[f"Sex: {sex}; Age: Aged under 1 year; measures: Value"]]
        ages += [
            ts009[f"Sex: {sex}; Age: Aged {a} year{'s' if a > 1 else ''}; measures: Value"]
            for a in range(1, 90)
        ]
        ages.append(ts009[f"Sex: {sex}; Age: Aged 90 years and over; measures: Value"])
        out.append(f"  age_{sex.lower()}: [{', '.join(map(str, ages))}]")
    ts024 = _ltla_row(raw, "ts024")
    prefix = "Main language (detailed): "
    names = [k[len(prefix) :] for k in ts024]
    parents = {n.split(": ")[0] for n in names if ": " in n}
    out.append("  # TS024 main language, usual residents aged 3+: [name, count, region]")
    out.append("  languages:")
    for name in names:
        count = ts024[prefix + name]
        if name.startswith("Total") or name in parents or count == 0:
            continue
        parent, _, leaf = name.partition(": ")
        label = leaf or ("English" if parent.startswith("English") else parent)
        region = LEAF_REGION.get(label, LANGUAGE_REGION.get(parent, "other"))
        out.append(f'    - ["{label}", {count}, {region}]')
    for table, key in [
        ("ts037", "general_health"),
        ("ts038", "disability"),
        ("ts039", "unpaid_care"),
        ("ts054", "tenure_households"),
        ("ts066", "economic_activity"),
    ]:
        row = _ltla_row(raw, table)
        out.append(f"  {key}:  # {table.upper()}")
        for k, v in row.items():
            label = k.split(": ", 1)[1].replace('"', "'")
            out.append(f'    "{label}": {v}')
    out.append("ward_age_shape:")
    out.append("  source: >-")
    out.append("    ONS mid-2019 population estimates by LSOA 2011 (SAPE22), summed to 2022")
    out.append("    wards through the ONS LSOA 2011 to 2021 best-fit lookup. OGL v3. Shares of")
    out.append("    each ward's residents, for the age shape only (the mid-2019 total, 261,317,")
    out.append("    is far above the Census 2021 count).")
    out.append("  age_groups: [" + ", ".join(f'"{g}"' for g in MYE_AGE_GROUPS) + "]")
    out.append("  # per ward: females in these age groups, then males")
    out.append("  shares:")
    for code, shares in ward_ages.items():
        values = ", ".join(f"{v:.4f}" for v in shares)
        out.append(f"    {code}: [{values}]  # {ward_names[code]}")
    out.append("# Mean IMD 2019 rank of each ward's LSOAs, and the position used for ward")
    out.append("# mortality: 0 = Knightsbridge & Belgravia, 1 = Westbourne (the JSNA's pair),")
    out.append("# linear in the mean rank between them and clipped to [0, 1].")
    out.append("ward_mortality_position:")
    low, high = ward_imd["E05013797"], ward_imd["E05013809"]
    for code, rank in sorted(ward_imd.items()):
        position = min(1.0, max(0.0, (low - rank) / (low - high)))
        out.append(f"  {code}: {position:.3f}  # mean IMD rank {rank:.0f}")
    out.append("# --- end of generated block ---")
    return "\n".join(out) + "\n"


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    raw = parser.parse_args().raw
    write(CODES / "ethnicity_codes.csv", ethnicity_table(raw))
    wards = ward_table(raw)
    write(CODES / "lsoa21_ward22_westminster.csv", wards)
    imd = imd_table(raw, [w["lsoa21"] for w in wards])
    write(CODES / "imd2019_lsoa21_westminster.csv", imd)
    ranks: dict[str, list[int]] = defaultdict(list)
    for ward, row in zip(wards, imd, strict=True):
        ranks[ward["ward_code"]].append(int(row["imd_rank"]))
    ward_imd = {code: sum(r) / len(r) for code, r in ranks.items()}
    yaml_path = ROOT / "src" / "jsna" / "synth" / "calibration" / "westminster.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    start = text.index("# --- generated by")
    end = text.index("# --- end of generated block ---\n") + len(
        "# --- end of generated block ---\n"
    )
    names = {w["ward_code"]: w["ward_name"] for w in wards}
    block = census_block(raw, ward_imd, ward_age_shape(raw, wards), names)
    yaml_path.write_text(text[:start] + block + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
