"""Breaking a table's columns, shared by the reader fuzz suites.

``tests/sources/test_fuzz_readers.py`` (the record-level tables) and
``tests/test_fuzz_more_readers.py`` (catalogue, config, engagement, assets)
break a table the same way before each writes it in its own formats.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

DATE_FORMS = ["31/03/2024", "2024/03/31", "2024-13-01", "20240331", "31-Mar-2024", "2024-3-1"]
ODD_TEXT = st.sampled_from(
    ['"', '""', "a,b", "line\nbreak", " ", "-1", "1e3", "NaN", "null", "\x00", "é", "☃", "121"]
) | st.text(max_size=12)
BREAKAGES = ("drop", "rename", "cell", "date", "duplicate", "huge", "empty", "extra_row")
HARMLESS = ("reorder", "pad", "extra_column")  # a reader must still read these clean


def break_columns(
    draw: st.DrawFn,
    columns: dict[str, list],
    n_rows: int,
    *,
    dated: Callable[[str], bool],
    huge_sizes: list[int],
) -> dict[str, list]:
    """A copy of ``columns`` (name → cells) with 0-3 breakages or harmless changes.

    ``dated`` says which columns hold dates; ``huge_sizes`` are the lengths
    tried for one huge cell.
    """
    columns = {name: list(values) for name, values in columns.items()}
    for _ in range(draw(st.integers(0, 3))):
        names = list(columns)
        kind = draw(st.sampled_from([*BREAKAGES, *HARMLESS]))
        if kind == "reorder":
            columns = {name: columns[name] for name in draw(st.permutations(names))}
        elif kind == "pad":
            column, row = draw(st.sampled_from(names)), draw(st.integers(0, n_rows - 1))
            columns[column][row] = f"  {columns[column][row]}\t"
        elif kind == "extra_column":
            columns["notes"] = [draw(ODD_TEXT) for _ in range(n_rows)]
        elif kind == "drop" and len(names) > 1:
            del columns[draw(st.sampled_from(names))]
        elif kind == "rename":
            old = draw(st.sampled_from(names))
            columns[old.upper() if old.upper() not in columns else old + "_x"] = columns.pop(old)
        elif kind == "cell":
            column = draw(st.sampled_from(names))
            columns[column][draw(st.integers(0, n_rows - 1))] = draw(ODD_TEXT)
        elif kind == "date" and (with_dates := [c for c in names if dated(c)]):
            column = draw(st.sampled_from(with_dates))
            columns[column][draw(st.integers(0, n_rows - 1))] = draw(st.sampled_from(DATE_FORMS))
        elif kind == "duplicate":
            row = draw(st.integers(0, n_rows - 1))
            for values in columns.values():
                values.append(values[row])
            n_rows += 1
        elif kind == "huge":
            columns[draw(st.sampled_from(names))][0] = "x" * draw(st.sampled_from(huge_sizes))
        elif kind == "empty":
            for values in columns.values():
                values[draw(st.integers(0, n_rows - 1))] = ""
        elif kind == "extra_row":
            for values in columns.values():
                values.append(draw(ODD_TEXT))
            n_rows += 1
    return columns
