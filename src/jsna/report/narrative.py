"""Plain-English sentences for the equity findings.

Each finding of :func:`jsna.equity.analyse` becomes one sentence a resident or
councillor can read, carrying its uncertainty ("about twice as high … (1.9 to
2.2 times)"). The wording follows three rules from the Westminster Global
Majority JSNA and the GOV.UK style for writing about ethnicity:

* name specific ethnic groups in ONS / GOV.UK style ("Black Caribbean
  residents", "residents from the Asian other ethnic group"), never collective
  acronyms;
* describe systems, not people: "X residents were less likely to have
  received …", "uptake was lower among …" — no deficit language;
* use the language of difference only where the comparison is significant
  after the false discovery rate correction (the ``significant`` column); say
  "similar to" otherwise.

Ratios are put into words as: 1.4–1.6 "about one and a half times", 1.9–2.1
"about twice", 2.9–3.1 "about three times", otherwise "X.X times"; below 1,
"about half as" (0.5) or "X% less/lower". No sentence quotes a count that
disclosure control suppressed: the only counts used (people to close a gap)
are missing whenever the group's counts are suppressed. The link to the
table and method behind each sentence is the finding's ``table_anchor``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from jsna.report.formatting import format_value, is_missing

__all__ = ["finding_sentence", "group_phrase", "ratio_comparison", "ratio_words", "sentences"]

_ETHNIC = {"ethnicity_19", "ethnicity_5", "global_majority"}
_GAP_TYPE = "widest ward gap"
_NAMED_GAP_TYPE = "named ward gap"
MINUS = "\u2212"


def ratio_words(ratio: float) -> str:
    """A ratio of at least 1 in words.

    >>> ratio_words(2.04), ratio_words(1.55), ratio_words(3.1), ratio_words(3.84)
    ('about twice', 'about one and a half times', 'about three times', '3.8 times')
    """
    rounded = round(ratio, 1)
    if 1.4 <= rounded <= 1.6:
        return "about one and a half times"
    if 1.9 <= rounded <= 2.1:
        return "about twice"
    if 2.9 <= rounded <= 3.1:
        return "about three times"
    return f"{rounded:.1f} times"


def ratio_comparison(
    ratio: float, lower: float, upper: float, *, adjective: str
) -> tuple[str, str]:
    """The comparative phrase and its interval for a significant ratio.

    ``adjective`` is ``"likely"`` (people) or ``"high"`` (a rate). Returns
    (phrase, interval); the phrase ends with "as" or "than", ready for the
    comparator.

    >>> ratio_comparison(2.0, 1.9, 2.2, adjective="likely")
    ('about twice as likely as', '1.9 to 2.2 times')
    >>> ratio_comparison(0.64, 0.6, 0.69, adjective="high")
    ('36% lower than', '31% to 40% lower')
    >>> ratio_comparison(0.5, 0.42, 0.58, adjective="likely")
    ('about half as likely as', '0.42 to 0.58 times')
    """
    less = "less likely" if adjective == "likely" else "lower"
    more = "more likely" if adjective == "likely" else "higher"
    if round(ratio, 1) == 0.5:
        return f"about half as {adjective} as", f"{lower:.2f} to {upper:.2f} times"
    if ratio < 1:
        return (
            f"{_percent(1 - ratio)}% {less} than",
            f"{_percent_range(1 - upper, 1 - lower)} {less.split()[0]}",
        )
    if round(ratio, 1) == 1.0:
        return (
            f"{_percent(ratio - 1)}% {more} than",
            f"{_percent_range(lower - 1, upper - 1)} {more.split()[0]}",
        )
    places = 1 if round(lower, 1) != round(upper, 1) else 2
    return (
        f"{ratio_words(ratio)} as {adjective} as",
        f"{lower:.{places}f} to {upper:.{places}f} times",
    )


def _percent(share: float) -> int:
    """A share as a whole percentage: 0.364 → 36."""
    return round(share * 100)


def _percent_range(low: float, high: float) -> str:
    """'31% to 40%', with one decimal place when whole percentages would look equal."""
    if _percent(low) != _percent(high):
        return f"{_percent(low)}% to {_percent(high)}%"
    return f"{low * 100:.1f}% to {high * 100:.1f}%"


def group_phrase(dimension: str, category: str, area_name: str = "the area") -> str:
    """How a group is named in a sentence.

    Each part of an intersection adds words before "residents" (an ethnic
    group, a sex) or after it (a place, then an age, then "whose …" clauses).

    >>> group_phrase("ethnicity_19", "Black Caribbean")
    'Black Caribbean residents'
    >>> group_phrase("ethnicity_5×imd_quintile", "Black × 1 (most deprived)")
    'Black residents of the most deprived fifth of neighbourhoods'
    >>> group_phrase("all", "All", "Westminster")
    'residents of Westminster as a whole'
    """
    before: list[str] = []
    after: list[tuple[int, str]] = []
    for part, label in zip(dimension.split("×"), category.split(" × "), strict=True):
        words_before, words_after = _words(part, label, area_name)
        if words_before:
            before.append(words_before)
        if words_after:
            after.append(words_after)
    clauses = [text for _, text in sorted(after, key=lambda item: item[0])]
    whose = [text for text in clauses if text.startswith("whose ")]
    others = [text for text in clauses if not text.startswith("whose ")]
    if len(whose) > 1:
        whose = [" and ".join(whose)]
    return " ".join([*before, "residents", *others, *whose])


# Where words go after "residents": places first, then groups, ages and "whose" clauses.
_PLACE, _GROUP, _AGE, _WHOSE = range(4)


def _words(dimension: str, label: str, area_name: str) -> tuple[str, tuple[int, str] | None]:
    """(words before "residents", (order, words after "residents")) for one part."""
    if dimension == "all":
        return "", (_PLACE, f"of {area_name} as a whole")
    if dimension in _ETHNIC:
        if label == "Not stated":
            return "", (_WHOSE, "whose ethnic group was not stated or not recorded")
        if label == "Any other ethnic group":
            return "", (_GROUP, "from any other ethnic group")
        if label == "Mixed":
            return "", (_GROUP, "from Mixed or Multiple ethnic groups")
        if label == "Other" or label.endswith(" other"):
            return "", (_GROUP, f"from the {label} ethnic group")
        return label, None
    if dimension == "imd_quintile":
        if label.startswith("1 "):
            return "", (_PLACE, "of the most deprived fifth of neighbourhoods")
        if label.startswith("5 "):
            return "", (_PLACE, "of the least deprived fifth of neighbourhoods")
        if label == "Unknown":
            return "", (_WHOSE, "whose neighbourhood was not known")
        return "", (_PLACE, f"of neighbourhoods in deprivation quintile {label}")
    if dimension == "ward":
        if label == "Unknown":
            return "", (_WHOSE, "whose ward was not known")
        return "", (_PLACE, f"of {label}")
    if dimension == "sex":
        if label == "Not known":
            return "", (_WHOSE, "whose sex was not recorded")
        return label.lower(), None
    if dimension == "age_band":
        if label.endswith("+"):
            return "", (_AGE, f"aged {label[:-1]} and over")
        return "", (_AGE, f"aged {label.replace('-', ' to ')}")
    if dimension == "main_language":
        if label == "Not recorded":
            return "", (_WHOSE, "whose main language was not recorded")
        return "", (_WHOSE, f"whose main language is {label}")
    return "", (_GROUP, f"in the group {label}")


def sentences(findings: pd.DataFrame, phrases: Mapping[str, str] | None = None) -> list[str]:
    """One sentence per finding (row order kept)."""
    phrases = {} if phrases is None else phrases
    return [finding_sentence(row, phrases) for row in findings.to_dict("records")]


def finding_sentence(row: Mapping[str, Any], phrases: Mapping[str, str] | None = None) -> str:
    """The sentence for one finding (a row of the findings table, as a mapping)."""
    phrases = {} if phrases is None else phrases
    area = str(row.get("area_name", "the area"))
    group = group_phrase(row["dimension"], row["category"], area)
    name = _subject(str(row["indicator_name"]))
    if row.get("finding_type") == _NAMED_GAP_TYPE:
        text = _named_ward_gap(row, name, area)
    elif not row["published"]:
        text = _unpublished(row, group, name, area)
    elif row.get("finding_type") == _GAP_TYPE:
        text = _ward_gap(row, name, area)
    else:
        reference = group_phrase(row["comparator_dimension"], row["comparator"], area)
        phrase = phrases.get(str(row["indicator_id"]))
        if row["statistic"] in ("life expectancy", "healthy life expectancy"):
            text = _years(row, group, reference, name)
        elif is_missing(row["ratio"]):
            text = _points(row, group, reference, name)
        elif row["statistic"] == "proportion" and row["polarity"] == "higher_is_better":
            text = _uptake(row, group, reference, name, phrase)
        else:
            text = _ratio(row, group, reference, name, phrase)
    return text[0].upper() + text[1:]


def _subject(name: str) -> str:
    """The indicator as the subject of a sentence.

    A name that describes people ("Residents living in social rented housing")
    becomes a share ("The share of residents living in …") so that "was twice
    as high" reads as English, and a qualifier after a comma goes into
    brackets ("Flu vaccination coverage, aged 65+" → "Flu vaccination coverage
    (aged 65+)").

    >>> _subject("Life expectancy at birth, males")
    'Life expectancy at birth (males)'
    >>> _subject("Economically inactive residents aged 16-64")
    'The share of economically inactive residents aged 16-64'
    >>> _subject("Cervical screening coverage, women aged 50-64 (last 5.5 years)")
    'Cervical screening coverage, women aged 50-64 (last 5.5 years)'
    """
    if name.count(", ") == 1 and "(" not in name:
        head, qualifier = name.split(", ")
        name = f"{head} ({qualifier})"
    if _PEOPLE.match(name) and not name.lower().startswith(_ALREADY_A_SHARE):
        first = name.split(" ", 1)[0]
        start = name if first.isupper() else name[:1].lower() + name[1:]
        return f"The share of {start}"
    return name


_PEOPLE = re.compile(r"^([^\s,]+\s+){0,3}(residents|people|adults|children|women|men)\b", re.I)
_ALREADY_A_SHARE = ("share", "proportion", "percentage", "number")


def _unpublished(row: Mapping[str, Any], group: str, name: str, area: str) -> str:
    target = row.get("collapsed_to_category")
    if isinstance(target, str) and target:
        broader = group_phrase(row["collapsed_to_dimension"], target, area)
        return (
            f"{name} is not shown separately for {group} because the numbers are too small "
            f"for a stable rate; they are counted within {broader}."
        )
    if row.get("suppressed"):
        return f"{name} for {group} is not shown, to protect confidentiality."
    return f"{name} for {group} is not shown: there is no figure to compare."


def _value(row: Mapping[str, Any], prefix: str = "") -> str:
    return format_value(row[f"{prefix}value"], str(row["statistic"]), row["multiplier"])


def _interval(row: Mapping[str, Any]) -> str:
    low = format_value(row["lower_95"], str(row["statistic"]), row["multiplier"])
    high = format_value(row["upper_95"], str(row["statistic"]), row["multiplier"])
    return f"{low} to {high}"


def _basis(row: Mapping[str, Any]) -> str:
    if row["value_type"] != "age-standardised":
        return "crude"
    crude = row.get("crude_ratio")
    if crude is None or is_missing(crude):
        return "age-standardised"
    return f"age-standardised; crude ratio {float(crude):.1f}"


def _ratio(
    row: Mapping[str, Any], group: str, reference: str, name: str, phrase: str | None
) -> str:
    ratio, lower, upper = (float(row[k]) for k in ("ratio", "ratio_lower_95", "ratio_upper_95"))
    basis = _basis(row)
    if not row["significant"]:
        return (
            f"{name} among {group} was similar to that among {reference} "
            f"(ratio {ratio:.2f}, {lower:.2f} to {upper:.2f}; {basis})."
        )
    if phrase:
        comparison, interval = ratio_comparison(ratio, lower, upper, adjective="likely")
        return f"{group} were {comparison} {reference} to {phrase} ({interval}; {basis})."
    comparison, interval = ratio_comparison(ratio, lower, upper, adjective="high")
    # "about twice as high among X as among Y" / "36% lower among X than among Y"
    head, joiner = comparison.rsplit(" ", 1)
    return f"{name} was {head} among {group} {joiner} among {reference} ({interval}; {basis})."


def _uptake(
    row: Mapping[str, Any], group: str, reference: str, name: str, phrase: str | None
) -> str:
    figures = f"{_value(row)} ({_interval(row)}) compared with {_value(row, 'comparator_')}"
    if not row["significant"]:
        return f"{name} among {group} was similar to that among {reference}: {figures}."
    lower = row["direction"] == "lower"
    if phrase:
        text = (
            f"{group} were {'less' if lower else 'more'} likely than {reference} "
            f"to {phrase}: {figures}."
        )
    else:
        text = (
            f"{name} was {'lower' if lower else 'higher'} among {group} than among "
            f"{reference}: {figures}."
        )
    people = row.get("people_to_close_gap")
    if lower and people is not None and not is_missing(people) and float(people) >= 1:
        low = _people(row["people_to_close_gap_lower_95"])
        high = _people(row["people_to_close_gap_upper_95"])
        text += (
            f" About {_people(people)} more people ({low} to {high}) would need to be "
            f"reached to close the gap."
        )
    return text


def _unit(row: Mapping[str, Any]) -> str:
    multiplier = float(row["multiplier"])
    if row["statistic"] == "proportion" and multiplier == 100:
        return "percentage points"
    return f"per {multiplier:,.0f}" if multiplier > 1 else "(on the indicator's scale)"


def _points(row: Mapping[str, Any], group: str, reference: str, name: str) -> str:
    """A comparison with no ratio (a zero on one side), told as a difference."""
    difference = float(row["difference"])
    lower, upper = float(row["difference_lower_95"]), float(row["difference_upper_95"])
    unit = _unit(row)
    if not row["significant"]:
        return (
            f"{name} among {group} was similar to that among {reference} (difference "
            f"{_signed(difference)} {unit}, {_signed(lower)} to {_signed(upper)})."
        )
    if difference < 0:
        lower, upper = -upper, -lower
    word = "lower" if difference < 0 else "higher"
    return (
        f"{name} was {abs(difference):.1f} {unit} {word} among {group} than among {reference} "
        f"({lower:.1f} to {upper:.1f} {unit}; {_basis(row)})."
    )


def _people(value: Any) -> str:
    return f"{round(float(value)):,}"


def _years(row: Mapping[str, Any], group: str, reference: str, name: str) -> str:
    difference = float(row["difference"])
    lower, upper = float(row["difference_lower_95"]), float(row["difference_upper_95"])
    if not row["significant"]:
        return (
            f"{name} among {group} was similar to that among {reference} "
            f"(difference {_signed(difference)} years, {_signed(lower)} to {_signed(upper)})."
        )
    if difference < 0:
        return (
            f"{name} among {group} was {-difference:.1f} years lower than among {reference} "
            f"({-upper:.1f} to {-lower:.1f} years)."
        )
    return (
        f"{name} among {group} was {difference:.1f} years higher than among {reference} "
        f"({lower:.1f} to {upper:.1f} years)."
    )


def _signed(value: float) -> str:
    return f"{MINUS}{abs(value):.1f}" if value < 0 and round(value, 1) != 0 else f"{abs(value):.1f}"


def _ward_pair(row: Mapping[str, Any], area: str) -> tuple[str, str, str]:
    """The two wards of a ward-gap finding and " among <the other parts>" (e.g. male residents)."""
    parts = str(row["dimension"]).split("×")
    at = parts.index("ward")
    first = str(row["category"]).split(" × ")
    second = str(row["comparator"]).split(" × ")
    others = [(p, label) for i, (p, label) in enumerate(zip(parts, first, strict=True)) if i != at]
    among = ""
    if others:
        among = " among " + group_phrase(
            "×".join(p for p, _ in others), " × ".join(label for _, label in others), area
        )
    return first[at], second[at], among


def _ward_gap(row: Mapping[str, Any], name: str, area: str) -> str:
    high, low, among = _ward_pair(row, area)
    difference = float(row["difference"])
    lower, upper = float(row["difference_lower_95"]), float(row["difference_upper_95"])
    if not row["significant"]:
        return (
            f"The widest gap in {_lower_first(name)}{among} between two wards of {area}, "
            f"{high} and {low}, was {difference:.1f} years ({_signed(lower)} to "
            f"{_signed(upper)}), not clearly different from no gap."
        )
    return (
        f"{name}{among} was {difference:.1f} years higher in {high} than in {low} "
        f"({lower:.1f} to {upper:.1f} years), the widest gap between two wards of {area}."
    )


def _named_ward_gap(row: Mapping[str, Any], name: str, area: str) -> str:
    """A gap between two wards the configuration names: first minus second, either sign."""
    first, second, among = _ward_pair(row, area)
    if not row["published"]:
        missing = row.get("gap_unpublished_wards") or f"{first} or {second}"
        return (
            f"{name}{among} is not compared between {first} and {second}: "
            f"there is no published value for {missing}."
        )
    difference = float(row["difference"])
    lower, upper = float(row["difference_lower_95"]), float(row["difference_upper_95"])
    if not row["significant"]:
        return (
            f"{name}{among} differed by {_signed(difference)} years between {first} and "
            f"{second} ({_signed(lower)} to {_signed(upper)}), not clearly different from no gap."
        )
    if difference < 0:
        return (
            f"{name}{among} was {-difference:.1f} years lower in {first} than in {second} "
            f"({-upper:.1f} to {-lower:.1f} years)."
        )
    return (
        f"{name}{among} was {difference:.1f} years higher in {first} than in {second} "
        f"({lower:.1f} to {upper:.1f} years)."
    )


def _lower_first(name: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ('NHS')."""
    first = name.split(" ", 1)[0]
    return name if first.isupper() else name[:1].lower() + name[1:]
