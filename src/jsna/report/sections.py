"""The chapters of the published JSNA and which tidy rows belong to each.

The report mirrors the structure of a JSNA chapter (see the project's
JSNA brief): a summary of key findings, then who lives here, life expectancy,
causes of death, long-term conditions, prevention, language communities,
wider determinants, intersectional hot spots, data quality, and methods.
Each :class:`Section` names the page it becomes, the Excel sheet it fills,
the tidy-table ``domain`` values it shows and the dimensions it charts, in
order of preference. Selection is by the tidy table's own columns, so a new
indicator in the catalogue appears in its domain's section without a code
change.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "INTERSECTION",
    "SECTIONS",
    "Section",
    "section_rows",
]

INTERSECTION = "×"


@dataclass(frozen=True)
class Section:
    """One page of the report and one sheet of the workbook.

    ``kind`` is ``domain`` (rows whose domain is in ``domains``), ``language``
    (rows by main language), ``intersection`` (rows of an intersectional
    dimension), ``summary`` or ``methods``.
    """

    slug: str
    title: str
    sheet: str
    kind: str
    intro: str
    domains: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()


SECTIONS: tuple[Section, ...] = (
    Section(
        "index",
        "Summary of key findings",
        "Summary",
        "summary",
        "The largest and most certain differences between groups of residents, ranked by size, "
        "certainty and the number of people affected. Each finding links to the table behind it.",
    ),
    Section(
        "who-lives-here",
        "Who lives here",
        "Who lives here",
        "domain",
        "Residents by ethnic group, main language and ward.",
        ("population",),
        ("ethnicity_19", "main_language", "ward", "ethnicity_5", "age_band"),
    ),
    Section(
        "life-expectancy",
        "Life expectancy and healthy life expectancy",
        "Life expectancy",
        "domain",
        "Life expectancy and healthy life expectancy by ward, deprivation and ethnic group, "
        "with the gap between the highest and lowest wards and the ages and causes of death "
        "that make it up.",
        ("life expectancy",),
        ("ward", "imd_quintile", "global_majority", "sex", "age_band", "cause"),
    ),
    Section(
        "causes-of-death",
        "Causes of death",
        "Causes of death",
        "domain",
        "Mortality from all causes and from the leading causes, age-standardised to the "
        "European Standard Population 2013.",
        ("mortality",),
        ("ward", "imd_quintile", "ethnicity_5", "global_majority"),
    ),
    Section(
        "long-term-conditions",
        "Long-term conditions by ethnic group",
        "Long-term conditions",
        "domain",
        "Recorded prevalence of long-term conditions by ethnic group, crude and "
        "age-standardised side by side, with the ratio to the reference group.",
        ("long-term conditions",),
        ("ethnicity_19", "ethnicity_5", "ward", "imd_quintile"),
    ),
    Section(
        "prevention",
        "Prevention and vaccination uptake",
        "Prevention",
        "domain",
        "Uptake of flu vaccination, cancer screening and NHS Health Checks by ethnic group "
        "and ward.",
        ("prevention",),
        ("ethnicity_19", "ethnicity_5", "ward", "imd_quintile"),
    ),
    Section(
        "language-communities",
        "Language communities",
        "Language communities",
        "language",
        "Residents grouped by their main language, compared with all residents of the borough. "
        "The first table compares each language community with the whole borough on every "
        "indicator; the charts show population and wider-determinant indicators by language.",
        dimensions=("main_language",),
    ),
    Section(
        "wider-determinants",
        "Wider determinants of health",
        "Wider determinants",
        "domain",
        "Housing, health, disability, caring and economic activity by ethnic group and "
        "language: the conditions in which people live and work.",
        ("wider determinants",),
        ("ethnicity_19", "ethnicity_5", "main_language", "ward"),
    ),
    Section(
        "hot-spots",
        "Intersectional hot spots",
        "Hot spots",
        "intersection",
        "Groups defined by two characteristics at once (for example ethnic group and "
        "deprivation), where the largest differences from the reference group are. The charts "
        "show the indicators and intersections with the largest significant differences; every "
        "intersection is in the explorer and the workbook.",
    ),
    Section(
        "data-quality",
        "Data quality",
        "Data quality",
        "domain",
        "How completely ethnicity is recorded, by ward and group: the figures in this report "
        "are only as good as the recording behind them.",
        ("data quality",),
        ("ward", "sex", "age_band", "imd_quintile"),
    ),
    Section(
        "methods",
        "Methods and sources",
        "Methods",
        "methods",
        "How every figure was computed, the statistical methods, and the sources.",
    ),
)


def section_rows(tidy: pd.DataFrame, section: Section) -> pd.DataFrame:
    """The tidy rows a section shows, in the table's own order.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"domain": ["population", "mortality"], "dimension": ["all", "ward"]})
    >>> section_rows(t, SECTIONS[1])["domain"].tolist()
    ['population']
    """
    if section.kind == "domain":
        mask = tidy["domain"].isin(section.domains)
    elif section.kind == "language":
        mask = tidy["dimension"] == "main_language"
    elif section.kind == "intersection":
        mask = tidy["dimension"].astype(str).str.contains(INTERSECTION, regex=False)
    else:
        return tidy.iloc[0:0]
    return tidy[mask]
