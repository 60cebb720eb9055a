"""``jsna assets …``: check and convert an asset directory; need against provision.

Thin wrappers over :mod:`jsna.assets`; heavy imports happen inside the
commands so ``jsna --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["assets_app"]

assets_app = typer.Typer(
    help="Community assets: Open Referral UK directories, need against provision.",
    no_args_is_help=True,
)


@assets_app.command("convert")
def convert(
    source: Annotated[
        Path, typer.Argument(help="Directory: .json (Open Referral UK), .csv, .xlsx.")
    ],
    target: Annotated[Path, typer.Argument(help="Output: .json (Open Referral UK) or .csv.")],
) -> None:
    """Validate a directory, place every location in its ward, and write it in another form."""
    from jsna.assets import read_directory, write_directory_csv, write_openreferral
    from jsna.errors import InputError

    directory = read_directory(source)
    table = directory.table()
    if target.suffix.lower() == ".json":
        write_openreferral(directory, target)
    elif target.suffix.lower() == ".csv":
        write_directory_csv(directory, target)
    else:
        raise InputError("unsupported output type", file=target.name, value=target.suffix,
                         hint="use .json or .csv")  # fmt: skip
    typer.echo(
        f"{table['organisation_id'].nunique()} organisations, {len(directory)} services, "
        f"{table['location_id'].nunique()} locations in {table['ward_name'].nunique()} wards "
        f"→ {target}"
    )


@assets_app.command("need")
def need(
    indicators: Annotated[Path, typer.Argument(help="Tidy table: indicators.parquet or .csv.")],
    directory: Annotated[Path, typer.Argument(help="Asset directory (.json, .csv, .xlsx).")],
    out: Annotated[Path, typer.Option(help="CSV of need against provision.")],
) -> None:
    """Need against provision by ward and ethnic group; flags high need, thin provision."""
    import pandas as pd

    from jsna.assets import need_vs_provision, read_directory

    if indicators.suffix.lower() == ".parquet":
        tidy = pd.read_parquet(indicators)
    else:
        tidy = pd.read_csv(indicators, keep_default_na=False, na_values=[""])
        tidy["age_standardised"] = tidy["age_standardised"].astype(str).str.lower() == "true"
    table = need_vs_provision(tidy, read_directory(directory))
    table.to_csv(out, index=False, lineterminator="\n")
    flagged = table[table["high_need_thin_provision"]]
    typer.echo(f"{len(table)} rows, {len(flagged)} flagged high need, thin provision → {out}")
