"""Each policy's primary rule and rounding against hand-worked counts."""

from __future__ import annotations

import numpy as np
import pytest

from jsna.disclosure import DisclosurePolicy, get_policy
from jsna.errors import InputError

COUNTS = np.array([0, 1, 4, 5, 7, 8, 9, 12, 13, 1003, 1002.4])


def shown(values: np.ndarray) -> list[object]:
    return ["*" if np.isnan(v) else float(v) for v in values]


def test_nhs_digital_hides_1_to_7_shows_zero_and_rounds_to_5() -> None:
    # 8 → 10, 12 → 10, 13 → 15, 1003 → 1005, 1002.4 person-years → 1000
    assert shown(get_policy("nhs_digital").publish(COUNTS)) == [
        0.0,
        "*",
        "*",
        "*",
        "*",
        10.0,
        10.0,
        10.0,
        15.0,
        1005.0,
        1000.0,
    ]


def test_opensafely_redacts_0_to_7_and_rounds_to_5() -> None:
    assert shown(get_policy("opensafely").publish(COUNTS)) == [
        "*",
        "*",
        "*",
        "*",
        "*",
        10.0,
        10.0,
        10.0,
        15.0,
        1005.0,
        1000.0,
    ]


@pytest.mark.parametrize(
    ("below", "expected"),
    [
        (5, [0.0, "*", "*", 5.0, 7.0, 8.0, 9.0, 12.0, 13.0, 1003.0, 1002.4]),
        (10, [0.0, "*", "*", "*", "*", "*", "*", 12.0, 13.0, 1003.0, 1002.4]),
    ],
)
def test_threshold_hides_below_the_limit_and_shows_the_rest_exactly(
    below: int, expected: list[object]
) -> None:
    assert shown(get_policy("threshold", below=below).publish(COUNTS)) == expected


def test_threshold_can_hide_zeros_too() -> None:
    policy = get_policy("threshold", below=5, suppress_zero=True)
    assert shown(policy.publish(np.array([0, 4, 5]))) == ["*", "*", 5.0]


def test_fractional_person_years_below_one_are_hidden() -> None:
    assert get_policy("nhs_digital").primary(np.array([0.4, 0.0, np.nan])).tolist() == [
        True,
        False,
        False,
    ]


def test_interval_is_the_length_of_the_hidden_range() -> None:
    assert get_policy("nhs_digital").interval == 6  # [1, 7]
    assert get_policy("opensafely").interval == 7  # [0, 7]
    assert get_policy("threshold", below=10).interval == 8  # [1, 9]


def test_a_policy_object_passes_through_and_describes_itself() -> None:
    policy = DisclosurePolicy("custom", limit=9, low=1, rounding=10)
    assert get_policy(policy) is policy
    assert "counts 1-9 suppressed" in policy.describe()
    assert policy.as_dict() == {"name": "custom", "limit": 9, "low": 1, "rounding": 10}


@pytest.mark.parametrize(
    ("policy", "options", "fragment"),
    [
        ("ons", {}, "unknown disclosure policy"),
        ("threshold", {"below": 1}, "below must be a whole number"),
        ("threshold", {"below": 4.5}, "below must be a whole number"),
        ("threshold", {"cutoff": 5}, "unknown disclosure option"),
    ],
)
def test_bad_policies_are_input_errors(policy: str, options: dict, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        get_policy(policy, **options)
