"""What every command shares: loading input with exit code 2 on failure, atomic writes, messages."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # the model (pydantic) is imported only when a command runs: fast start-up
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


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write to a temporary file in the same folder, then rename: never a partial output file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(out: Path | None, data: str | bytes) -> None:
    if out is None or str(out) == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    atomic_write(out, data)
