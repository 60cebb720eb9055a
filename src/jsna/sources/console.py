"""Printing a validation report for people: what ``jsna validate`` shows.

Errors are printed one per line, unwrapped, exactly as
:class:`~jsna.errors.InputError` words them (file, column, row, value,
problem, what to do), so they can be searched and copied; the files and the
data-quality figures are rich tables.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from jsna.sources.validate import ValidationReport

__all__ = ["print_report"]


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def print_report(report: ValidationReport, console: Console | None = None) -> None:
    """Print files, data-quality figures, notes and errors of ``report``."""
    console = console or Console()
    console.print(f"[bold]jsna validate[/bold] {report.data_dir}", soft_wrap=True)
    summary = report.summary
    if summary is not None:
        if summary.synthetic:
            console.print(
                "[bold yellow]SYNTHETIC DATA[/bold yellow]: files carry the jsna.synthetic marker"
            )
        files = Table(title="Files")
        for heading in ("table", "file", "rows", "synthetic"):
            files.add_column(heading, justify="right" if heading == "rows" else "left")
        for table in summary.tables:
            files.add_row(
                table.table,
                table.file or "(not supplied)",
                f"{table.rows:,}",
                "yes" if table.synthetic else "no",
            )
        console.print(files)
        quality = Table(
            title=f"Data quality (period end {summary.period_end}, "
            f"mortality window from {summary.window_start})"
        )
        for heading in ("table", "measure", "count", "of", "%"):
            quality.add_column(
                heading, justify="left" if heading in ("table", "measure") else "right"
            )
        for figure in summary.figures:
            quality.add_row(
                figure.table,
                figure.label,
                f"{figure.count:,}",
                f"{figure.denominator:,}",
                _percent(figure.percent),
            )
        console.print(quality)
        for note in summary.notes:
            console.print(f"note: {note}", soft_wrap=True, markup=False)
    for error in report.errors:
        console.print(f"error: {error}", soft_wrap=True, markup=False, style="red")
    for total in report.totals:
        if total.rows > total.shown:
            reason = total.reason.replace("{detail}", "…")
            console.print(
                f"… {total.file}, column {total.column!r}: {total.rows - total.shown:,} more "
                f"rows: {reason}",
                soft_wrap=True,
                markup=False,
            )
    if report.ok:
        console.print("[green]No errors.[/green]")
    else:
        rows = sum(total.rows - total.shown for total in report.totals)
        more = f" (and {rows:,} more rows not listed)" if rows else ""
        console.print(f"[red]{len(report.errors):,} errors{more}.[/red]")
