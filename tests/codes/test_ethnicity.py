"""Ethnicity code lists: labels, hierarchy, decisions, and agreement with public lists."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jsna.codes import ethnicity
from jsna.errors import InputError

LISTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw" / "ethnicity_codelists"

# The NHS Data Dictionary ETHNIC CATEGORY letters, typed from the standard.
NHS_LETTERS = {
    "A": "White British",
    "B": "White Irish",
    "C": "White other",
    "D": "Mixed White and Black Caribbean",
    "E": "Mixed White and Black African",
    "F": "Mixed White and Asian",
    "G": "Mixed other",
    "H": "Indian",
    "J": "Pakistani",
    "K": "Bangladeshi",
    "L": "Asian other",
    "M": "Black Caribbean",
    "N": "Black African",
    "P": "Black other",
    "R": "Chinese",
    "S": "Any other ethnic group",
    "T": "White Gypsy or Irish Traveller",
    "W": "Arab",
    "Z": "Not stated",
}


def test_labels_follow_the_data_model():
    assert len(ethnicity.ETHNICITY_19) == 20  # 19 ONS groups + Not stated
    assert ethnicity.ETHNICITY_19[-1] == "Not stated"
    assert ethnicity.ETHNICITY_5 == ("Asian", "Black", "Mixed", "White", "Other", "Not stated")
    assert ethnicity.GLOBAL_MAJORITY == ("Global Majority", "White", "Not stated")
    white = [g for g, five in ethnicity.GROUP_5.items() if five == "White"]
    assert sorted(white) == sorted(
        ["White British", "White Irish", "White Gypsy or Irish Traveller", "Roma", "White other"]
    )
    assert ethnicity.GROUP_5["Arab"] == "Other"
    assert ethnicity.GROUP_5["Chinese"] == "Asian"


def test_every_nhs_letter_maps_as_the_standard_says():
    got = ethnicity.to_ethnicity_19(list(NHS_LETTERS))
    assert dict(zip(NHS_LETTERS, got, strict=True)) == NHS_LETTERS


def test_empty_and_null_are_not_stated_and_ints_are_read_as_concepts():
    codes = pd.Series(["", None, np.nan, " Z ", 976951000000102, 1036341000000109.0], dtype=object)
    assert ethnicity.to_ethnicity_19(codes).tolist() == [
        "Not stated",
        "Not stated",
        "Not stated",
        "Not stated",
        "Arab",
        "Roma",
    ]


def test_global_majority_is_everyone_but_the_white_groups():
    groups = np.array(ethnicity.ETHNICITY_19, dtype=object)
    gm = ethnicity.to_global_majority(groups)
    expected = [
        "Not stated" if g == "Not stated" else "White" if i in range(12, 17) else "Global Majority"
        for i, g in enumerate(groups)
    ]
    assert gm.tolist() == expected


def test_unknown_code_names_file_column_row_and_value():
    with pytest.raises(InputError) as caught:
        ethnicity.to_ethnicity_19(["A", "K", "12345"], file="people.csv")
    error = caught.value
    assert (error.file, error.column, error.row, error.value) == (
        "people.csv",
        "ethnicity_code",
        3,
        "12345",
    )


def test_lookup_table_is_joinable_and_consistent():
    table = ethnicity.ethnicity_lookup()
    assert list(table.columns[:4]) == [
        "ethnicity_code",
        "ethnicity_19",
        "ethnicity_5",
        "global_majority",
    ]
    assert table["ethnicity_code"].is_unique
    assert set(table["ethnicity_19"]) == set(ethnicity.ETHNICITY_19)
    assert (table["ethnicity_5"] == table["ethnicity_19"].map(ethnicity.GROUP_5)).all()
    assert ethnicity.is_known_code(["A", "", "Q"]).tolist() == [True, True, False]


# Concepts checked by hand against the SNOMED CT browser terms.
@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("976631000000101", "White British"),  # White: English/Welsh/... 2011 census
        ("976831000000100", "Bangladeshi"),  # Asian or Asian British: Bangladeshi 2011
        ("976911000000101", "Black Caribbean"),  # Black...: Caribbean 2011
        ("976851000000107", "Chinese"),  # Asian or Asian British: Chinese 2011
        ("89001000000105", "Arab"),  # Arab - ethnic category 2001 census
        ("976951000000102", "Arab"),  # Other ethnic group: Arab 2011
        ("275587000", "Black other"),  # Black Arab: not Arab alone
        ("1036341000000109", "Roma"),  # Roma
        ("718959005", "Roma"),  # Czech Roma
        ("88931000000109", "White Gypsy or Irish Traveller"),  # Gypsy/Romany
        ("445343003", "White other"),  # Romanian is not Roma
        ("92531000000104", "Not stated"),  # Ethnic category not stated - 2001 census
        ("763726001", "Not stated"),  # Refusal to provide ethnic group
    ],
)
def test_decided_concepts(code, group):
    assert ethnicity.to_ethnicity_19([code]).tolist() == [group]


def _read(name):
    path = LISTS / name
    if not path.exists():
        pytest.skip(f"shared code list {name} not present")
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_every_public_snomed_concept_is_known():
    rows = _read("opensafely-ethnicity-snomed-0removed.csv")
    mapping = _read("snomed_to_nhs_ethnic_category_mapping.csv")
    codes = [r["snomedcode"] for r in rows] + [r["code"] for r in mapping]
    assert ethnicity.is_known_code(codes).all()


def test_2001_census_concepts_agree_with_the_primis_grouping():
    # PRIMIS eth2001 groups, with the 2021 changes: Chinese is Asian, Arab and
    # Gypsy/Traveller have their own groups.
    eth2001 = {
        "eth2001_whibrit": "White British",
        "eth2001_whiirish": "White Irish",
        "eth2001_whiother": "White other",
        "eth2001_mxdwhiblkcar": "Mixed White and Black Caribbean",
        "eth2001_mxdwhiblkafr": "Mixed White and Black African",
        "eth2001_mxdwhiasn": "Mixed White and Asian",
        "eth2001_mxdother": "Mixed other",
        "eth2001_asnindian": "Indian",
        "eth2001_asnpak": "Pakistani",
        "eth2001_asnbang": "Bangladeshi",
        "eth2001_asnother": "Asian other",
        "eth2001_blkcarib": "Black Caribbean",
        "eth2001_blkafric": "Black African",
        "eth2001_blkoth": "Black other",
        "eth2001_chinese": "Chinese",
        "eth2001_other": "Any other ethnic group",
    }
    rows = _read("primis-covid19-vacc-uptake-eth2001.csv")
    expected = []
    for r in rows:
        term = r["term"]
        if term.startswith("Arab"):
            expected.append("Arab")
        elif "Traveller" in term or "Gypsy" in term:
            expected.append("White Gypsy or Irish Traveller")
        else:
            expected.append(eth2001[r["grouping_16_label"]])
    got = ethnicity.to_ethnicity_19([r["code"] for r in rows])
    assert got.tolist() == expected


def test_high_level_groups_mostly_agree_with_nhs_letters():
    # The NHS map and OpenSAFELY disagree on a few concepts (Turkish: White or
    # Other; "Black Indian sub-continent": Black or Asian); we follow
    # OpenSAFELY. Agreement on the high-level group must still be near total.
    broad = {
        **dict.fromkeys("ABCT", "White"),
        **dict.fromkeys("DEFG", "Mixed"),
        **dict.fromkeys("HJKLR", "Asian"),
        **dict.fromkeys("MNP", "Black"),
        **dict.fromkeys("SW", "Other"),
        "Z": "Not stated",
    }
    rows = _read("snomed_to_nhs_ethnic_category_mapping.csv")
    ours = ethnicity.to_ethnicity_5(ethnicity.to_ethnicity_19([r["code"] for r in rows]))
    theirs = np.array([broad[r["ethnic_category"]] for r in rows], dtype=object)
    assert (ours == theirs).mean() > 0.95
