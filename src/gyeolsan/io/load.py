"""Open any supported input: report text, canonical JSON, spreadsheets and open-data JSON."""

from __future__ import annotations

import re
from pathlib import Path

from gyeolsan.io.errors import ImportResult, InputError

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv"}
# gyeolsan's own JSON states its format first ("gyeolsan/1"; other versions and findings reports get a
# clear format error from the canonical loader); any other JSON is open data (지방재정365 API responses).
_OWN_FORMAT = re.compile(rb'"format"\s*:\s*"gyeolsan')
_SNIFF_BYTES = 64 * 1024


def is_canonical_json(path: Path) -> bool:
    """Whether a .json file is gyeolsan's own (canonical) JSON; reads only the first 64 KiB."""
    try:
        with path.open("rb") as fh:
            return _OWN_FORMAT.search(fh.read(_SNIFF_BYTES)) is not None
    except OSError:
        return True  # the canonical loader reports the unreadable file


def is_spreadsheet(path: Path) -> bool:
    """Whether ``path`` goes to the spreadsheet / open-data importer."""
    suffix = path.suffix.lower()
    return suffix in SPREADSHEET_SUFFIXES or (suffix == ".json" and not is_canonical_json(path))


def load_any(
    path: Path, display: str | None = None, *, profile: str | None = None, depth: str | None = None
) -> ImportResult:
    """Import ``path`` by its type; ``profile`` and ``depth`` apply to spreadsheets and open data only."""
    name = display or str(path)
    if not path.exists():
        raise InputError.single("IMP001", "파일이 없습니다", "File not found", name)
    if path.is_dir():
        raise InputError.single("IMP001", "파일이 아니라 폴더입니다", "Is a directory, not a file", name)
    if is_spreadsheet(path):
        from gyeolsan.io.spreadsheet import import_spreadsheet

        return import_spreadsheet(path, name, profile=profile, depth=depth)
    if path.suffix.lower() == ".json":
        from gyeolsan.io import canonical

        return ImportResult(settlement=canonical.load(path, name))
    from gyeolsan.io.report_text import import_report_text

    return import_report_text(path, name)
