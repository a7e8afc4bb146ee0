"""Atomic writes: a temporary file in the target's folder, renamed over the target only on success.

An error (or an interrupt) never leaves a partial output file: the temporary file is removed and the
target keeps its previous content. Every writer in the core and the CLI writes through here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(
    path: Path, *, prefix: str | None = None, suffix: str = ".tmp", mode: int | None = 0o644
) -> Iterator[Path]:
    """Yield an empty temporary file next to ``path``; when the block succeeds, rename it to ``path``.

    The temporary file is named ``{prefix}XXXX{suffix}`` (``prefix`` defaults to ``.{path.name}.``);
    before the rename its permissions are set to ``mode`` (none are set when ``mode`` is None).
    On any error the temporary file is removed and the error propagates.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}." if prefix is None else prefix, suffix=suffix, dir=path.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically, mode 0644: never a partial output file."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        tmp.write_bytes(raw)
