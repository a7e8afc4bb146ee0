"""The ``gyeolsan`` command. Each command lives in its own module; heavy imports happen inside commands."""

from __future__ import annotations

from typing import Annotated

import typer

from gyeolsan import __version__
from gyeolsan.cli import imports

app = typer.Typer(
    name="gyeolsan",
    help="gyeolsan — 세입·세출 결산 가져오기·검증·보고서 / Korean budget settlement: import, check, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich's help renderer costs ~0.4 s of start-up
)


def _version(value: bool) -> None:
    if value:
        print(f"gyeolsan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="버전 / version")
    ] = False,
) -> None:
    """gyeolsan"""


app.command("import")(imports.import_)
app.command("show")(imports.show)

for _module in ("check", "report", "serve", "sheets"):
    try:
        __import__(f"gyeolsan.cli.{_module}")
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != f"gyeolsan.cli.{_module}":
            raise


def main() -> None:
    """The ``gyeolsan`` command. After the command has finished, the process leaves without Python's
    interpreter teardown: with matplotlib, numpy and Typst loaded that takes ~0.25 s and does nothing a
    user needs — every output is written, closed and renamed by then, and the streams are flushed here.
    An unexpected exception still ends the normal way (with its traceback)."""
    import contextlib
    import os
    import sys

    try:
        app()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`gyeolsan … | head`)
            stream.flush()
    os._exit(code)
