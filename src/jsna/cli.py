"""The ``jsna`` command line.

Each sub-command is a thin wrapper: it parses arguments and calls the layer
that does the work, so everything the CLI does is also available from Python.
"""

from __future__ import annotations

import sys

import typer

from jsna.errors import InputError

app = typer.Typer(
    name="jsna",
    help="Equity-focused Joint Strategic Needs Assessment: data in, report out.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def demo() -> None:
    """Build Synthetic Westminster and publish the whole JSNA report from it."""
    typer.echo("jsna demo: not yet built (the report issue will provide it)")


def main() -> None:
    """Entry point: run the CLI, turning InputError into a clear message and exit 2."""
    try:
        app()
    except InputError as error:
        typer.secho(f"error: {error}", err=True, fg=typer.colors.RED)
        sys.exit(2)


if __name__ == "__main__":
    main()
