"""The ``jsna`` command line.

Each sub-command is a thin wrapper: it parses arguments and calls the layer
that does the work, so everything the CLI does is also available from Python.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from jsna.errors import InputError

app = typer.Typer(
    name="jsna",
    help="Equity-focused Joint Strategic Needs Assessment: data in, report out.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the data, site and downloads.")] = Path(
        "demo-output"
    ),
    seed: Annotated[int, typer.Option(help="Random seed of the synthetic population.")] = 2024,
    scale: Annotated[
        float, typer.Option(help="Population multiple: 1 = Westminster (~204,000 people).")
    ] = 1.0,
    config: Annotated[
        Path | None,
        typer.Option(help="Build configuration YAML, e.g. another disclosure policy."),
    ] = None,
) -> None:
    """Build Synthetic Westminster and publish the whole JSNA report from it.

    Set SOURCE_DATE_EPOCH for byte-identical outputs (it fixes the build time).
    """
    from jsna.report.demo import run_demo

    index = run_demo(out, seed=seed, scale=scale, config_path=config)
    typer.echo(f"Open the report: {index.resolve()}")


@app.command()
def validate(
    data_dir: Annotated[
        Path, typer.Argument(help="Directory with people/conditions/events/deaths files.")
    ],
    max_errors: Annotated[int, typer.Option(min=1, help="Errors listed per check.")] = 20,
    period_end: Annotated[
        str, typer.Option(help="Snapshot date (YYYY-MM-DD) the summary counts against.")
    ] = "2024-03-31",
    window_start: Annotated[
        str, typer.Option(help="First day (YYYY-MM-DD) of the mortality window.")
    ] = "2019-04-01",
) -> None:
    """Check a data directory against the data model; print errors and data quality.

    Exit code 0 when clean, 1 when any error was found.
    """
    from jsna.sources import print_report, validate_directory
    from jsna.sources.checks import parse_iso_date

    try:
        report = validate_directory(
            data_dir,
            cap=max_errors,
            period_end=parse_iso_date(period_end, "--period-end"),
            window_start=parse_iso_date(window_start, "--window-start"),
        )
    except InputError as error:
        typer.secho(f"error: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    print_report(report)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Directory to write the four Parquet tables into.")],
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same records.")] = 2024,
    scale: Annotated[
        float, typer.Option(help="Population multiple: 1 = Westminster (~204,000 people).")
    ] = 1.0,
    calibration: Annotated[
        Path | None, typer.Option(help="Calibration YAML (default: the packaged westminster.yaml).")
    ] = None,
    margins_from: Annotated[
        Path | None,
        typer.Option(
            help="Folder with census.parquet from `jsna fetch census`: use its "
            "local authority's Census margins (ethnic group, age × sex, …)."
        ),
    ] = None,
) -> None:
    """Generate Synthetic Westminster: people, conditions, events and deaths, marked synthetic."""
    from jsna.synth import load_calibration, write_synthetic

    cal = load_calibration(calibration)
    if margins_from is not None:
        from jsna.sources.connectors.nomis import read_census
        from jsna.synth.census_margins import calibration_from_census

        census = read_census(margins_from)
        cal, notes = calibration_from_census(census.data, cal, source=str(margins_from))
        for note in notes:
            typer.echo(f"margins: {note}")
    rows = write_synthetic(out, seed=seed, scale=scale, calibration=cal)
    counts = ", ".join(f"{name} {count:,}" for name, count in rows.items())
    name = cal.raw.get("name", "Synthetic Westminster")
    typer.echo(f"{name} (seed {seed}, scale {scale:g}) written to {out}: {counts}")


@app.command()
def build(
    config: Annotated[
        Path | None,
        typer.Argument(help="Build configuration YAML (default: the packaged Westminster one)."),
    ] = None,
    data: Annotated[
        Path, typer.Option(help="Directory with people/conditions/events/deaths files.")
    ] = Path("data"),
    out: Annotated[Path, typer.Option(help="Directory for the tidy indicator table.")] = Path(
        "jsna-output"
    ),
    backend: Annotated[
        str | None,
        typer.Option(
            help="duckdb, spark or postgres (default: the config's, duckdb). Connection "
            "settings come from the config or the environment; see docs/scaling.md."
        ),
    ] = None,
    benchmarks: Annotated[
        list[Path] | None,
        typer.Option(
            "--benchmarks",
            help="Fingertips CSV export: the area, its region and England are added as "
            "benchmark rows (repeatable).",
        ),
    ] = None,
    benchmark_map: Annotated[
        Path | None,
        typer.Option(
            help="CSV of fingertips_id,indicator_id; unmapped benchmarks keep fingertips_<id> "
            "and appear in the report's explorer only."
        ),
    ] = None,
) -> None:
    """Compute every catalogue indicator by every stratum into OUT/indicators.parquet/.csv."""
    from jsna.engine.console import run_build

    run_build(
        config,
        data,
        out,
        backend=backend,
        benchmarks=benchmarks or (),
        benchmark_map=benchmark_map,
    )


@app.command()
def audit(
    out: Annotated[Path, typer.Argument(help="A build's output folder (with indicators.parquet).")],
    policy: Annotated[
        str | None,
        typer.Option(help="Disclosure policy to audit against (default: the one recorded)."),
    ] = None,
) -> None:
    """Attack the published outputs: try to recover every suppressed count; exit 1 if any is."""
    from jsna.disclosure import audit as run_audit

    report = run_audit(out, policy)
    typer.echo(report.summary())
    raise typer.Exit(0 if report.ok else 1)


fetch_app = typer.Typer(
    help="Fetch public data (Nomis Census 2021, OHID Fingertips) into tidy tables; OGL v3.",
    no_args_is_help=True,
)
app.add_typer(fetch_app, name="fetch")
_Cache = Annotated[Path, typer.Option(help="Cache of downloaded responses (used by --offline).")]
_Offline = Annotated[bool, typer.Option(help="Answer from the cache only; no network.")]
_CaBundle = Annotated[
    Path | None,
    typer.Option(
        help="PEM file of extra certificate authorities (certificates are always verified)."
    ),
]
_Timeout = Annotated[float, typer.Option(help="Seconds per request.")]
_Retries = Annotated[int, typer.Option(help="Retries after a timeout, 429 or 5xx.")]


@fetch_app.command("census")
def fetch_census(
    area: Annotated[str, typer.Option(help="Local authority GSS code, e.g. E09000033.")],
    tables: Annotated[
        str, typer.Option(help="Comma-separated Census 2021 tables.")
    ] = "TS009,TS021,TS024,TS037,TS038,TS039,TS054,TS066",
    geography: Annotated[str, typer.Option(help="la, ward or lsoa.")] = "la",
    out: Annotated[Path, typer.Option(help="Folder for census.parquet.")] = Path("census"),
    from_files: Annotated[
        Path | None, typer.Option(help="Read Nomis bulk CSVs from this folder instead.")
    ] = None,
    cache: _Cache = Path(".jsna-cache"),
    offline: _Offline = False,
    ca_bundle: _CaBundle = None,
    timeout: _Timeout = 60.0,
    retries: _Retries = 3,
) -> None:
    """Census 2021 tables from Nomis → OUT/census.parquet (area, table, category, count)."""
    from jsna.sources.connectors.commands import fetch_census_command, split_list
    from jsna.sources.connectors.http import FetchSettings

    settings = FetchSettings(
        timeout=timeout, retries=retries, ca_bundle=ca_bundle, cache_dir=cache, offline=offline
    )

    for line in fetch_census_command(
        area=area,
        tables=split_list(tables),
        level=geography,
        out=out,
        from_files=from_files,
        settings=settings,
    ):
        typer.echo(line)


@fetch_app.command("fingertips")
def fetch_fingertips(
    indicators: Annotated[str, typer.Option(help="Comma-separated Fingertips indicator ids.")],
    area: Annotated[str, typer.Option(help="The area benchmarked.")] = "E09000033",
    area_type: Annotated[int, typer.Option(help="Fingertips area type id (502: LAs).")] = 502,
    parent: Annotated[int, typer.Option(help="Parent area type id (6: regions).")] = 6,
    neighbours: Annotated[str, typer.Option(help="Comma-separated comparator areas.")] = "",
    nearest: Annotated[
        bool, typer.Option(help="Add the area's CIPFA nearest neighbours (Fingertips API).")
    ] = False,
    out: Annotated[Path, typer.Option(help="Folder for the output tables.")] = Path("fingertips"),
    from_file: Annotated[
        Path | None, typer.Option(help="Read a Fingertips CSV export instead of the API.")
    ] = None,
    merge: Annotated[
        Path | None, typer.Option(help="A built indicators.parquet to append the rows to.")
    ] = None,
    cache: _Cache = Path(".jsna-cache"),
    offline: _Offline = False,
    ca_bundle: _CaBundle = None,
    timeout: _Timeout = 60.0,
    retries: _Retries = 3,
) -> None:
    """Fingertips indicators → benchmark rows (area, region, neighbours, England) vs England."""
    from jsna.sources.connectors.commands import fetch_fingertips_command, split_list
    from jsna.sources.connectors.http import FetchSettings

    settings = FetchSettings(
        timeout=timeout, retries=retries, ca_bundle=ca_bundle, cache_dir=cache, offline=offline
    )

    for line in fetch_fingertips_command(
        indicators=split_list(indicators),
        area=area,
        area_type=area_type,
        parent=parent,
        neighbours=split_list(neighbours),
        nearest=nearest,
        out=out,
        from_file=from_file,
        merge=merge,
        settings=settings,
    ):
        typer.echo(line)


# resident engagement and community assets (issue #7): commands live beside their layers
from jsna.assets.console import assets_app  # noqa: E402
from jsna.voice.console import voice_app  # noqa: E402

app.add_typer(voice_app, name="voice")
app.add_typer(assets_app, name="assets")


def main() -> None:
    """Entry point: run the CLI, turning InputError into a clear message and exit 2."""
    try:
        app()
    except InputError as error:
        typer.secho(f"error: {error}", err=True, fg=typer.colors.RED)
        sys.exit(2)


if __name__ == "__main__":
    main()
