"""Open any supported input: report text, canonical JSON (and spreadsheets once their importer exists)."""

from __future__ import annotations

from pathlib import Path

from gyeolsan.io.errors import ImportResult, InputError


def load_any(path: Path, display: str | None = None) -> ImportResult:
    name = display or str(path)
    if not path.exists():
        raise InputError.single("IMP001", "파일이 없습니다", "File not found", name)
    if path.is_dir():
        raise InputError.single("IMP001", "파일이 아니라 폴더입니다", "Is a directory, not a file", name)
    suffix = path.suffix.lower()
    if suffix == ".json":
        from gyeolsan.io import canonical

        return ImportResult(settlement=canonical.load(path, name))
    if suffix in {".xlsx", ".xlsm", ".csv"}:
        try:
            from gyeolsan.io import spreadsheet  # type: ignore[attr-defined]
        except ImportError:
            raise InputError.single(
                "IMP007", "이 형식은 아직 지원하지 않습니다", "This format is not supported yet", name
            ) from None
        return spreadsheet.import_spreadsheet(path, name)  # type: ignore[no-any-return]
    from gyeolsan.io.report_text import import_report_text

    return import_report_text(path, name)
