"""What every command shares: loading input with exit code 2 on failure, atomic writes, messages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:  # the model (pydantic) is imported only when a command runs: fast start-up
    from gyeolsan.io.atomic import atomic_write as atomic_write
    from gyeolsan.model import Finding

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def eprint(text: str) -> None:
    print(text, file=sys.stderr)


def describe(f: Finding) -> str:
    loc = f.location
    cell = "!".join(c for c in (loc.sheet, loc.cell) if c)  # 세출집행현황!E7
    where = loc.path + (f":{loc.line}" if loc.line else "") + (f" [{cell}]" if cell else "")
    return f"{where}: {f.severity.label_ko}[{f.rule}] {f.message}\n    ({f.message_en})"


def fail_input(findings: list[Finding]) -> NoReturn:
    """User error: a clear located Korean+English message and exit code 2 — never a traceback."""
    eprint("입력을 읽을 수 없습니다 / The input could not be read:")
    for f in findings:
        eprint("  " + describe(f))
    raise SystemExit(EXIT_INPUT)


def load_input(  # type: ignore[no-untyped-def]
    src: Path, *, strict: bool = True, profile: str | None = None, depth: str | None = None
):
    """Load any supported input; exit 2 when it is unreadable (or, if ``strict``, malformed).

    ``profile`` and ``depth`` go to the spreadsheet / open-data importer (``gyeolsan.io.load.load_any``).
    """
    from gyeolsan.io import InputError, load_any

    try:
        result = load_any(src, str(src), profile=profile, depth=depth)
    except InputError as exc:
        fail_input(exc.findings)
    if strict and result.fatal:
        fail_input(result.fatal)
    return result


def write_output(out: Path | None, data: str | bytes) -> None:
    if out is None or str(out) == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    from gyeolsan.io.atomic import atomic_write

    atomic_write(out, data)


def __getattr__(name: str) -> Any:
    """``atomic_write`` lives in ``gyeolsan.io.atomic``; re-exported here, imported on first use
    (importing ``gyeolsan.io`` loads the model, which the CLI must not do at start-up)."""
    if name == "atomic_write":
        from gyeolsan.io.atomic import atomic_write

        return atomic_write
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
