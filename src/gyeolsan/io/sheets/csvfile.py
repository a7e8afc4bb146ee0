"""CSV files, small or a million rows: the header is found on the first lines, polars reads the rest.

The first 256 KB are decoded (UTF-8 with or without BOM, else CP949/EUC-KR) and searched for the
header like a sheet; then polars scans the file lazily with every column as text, and the same
preparation, checks and aggregation as for workbooks run as polars queries. A small file is then
held in memory; a large one (over ``BIG_CSV_BYTES``) is prepared once in a streaming pass into a
temporary Parquet file, so every later check reads compact columns and memory stays bounded.
CP949 files are first transcoded to a temporary UTF-8 copy in chunks. Line numbers in findings are
file lines (one record per line, as exports write them). For a national file the settlement table
stops at 단위사업 unless asked otherwise (``depth``, see ``spreadsheet.choose_depth``); the detail
stays available in DuckDB.
"""

from __future__ import annotations

import codecs
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

import polars as pl

from gyeolsan.io.errors import InputError
from gyeolsan.io.sheets import frame as fr
from gyeolsan.io.sheets import longtable as lt
from gyeolsan.io.sheets import reader
from gyeolsan.io.sheets.profiles import Profile
from gyeolsan.model import Severity

HEAD_BYTES = 256 * 1024
CHUNK = 8 * 1024 * 1024
BIG_CSV_BYTES = 32 * 1024 * 1024


def _head(path: Path, display: str) -> tuple[str, str]:
    with path.open("rb") as fh:
        raw = fh.read(HEAD_BYTES)
    if not raw:
        raise InputError.single("IMP106", "빈 파일입니다", "The file is empty", display)
    if len(raw) == HEAD_BYTES:
        cut = raw.rfind(b"\n")
        raw = raw[: cut + 1] if cut > 0 else raw
    return reader.decode_bytes(raw, display)


def transcode(path: Path, encoding: str, folder: str) -> Path:
    """A UTF-8 copy of a CP949 file, written in chunks (never the whole file in memory)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    target = Path(folder) / "utf8.csv"
    try:
        with target.open("wb") as out, path.open("rb") as src:
            while chunk := src.read(CHUNK):
                out.write(decoder.decode(chunk).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError.single(
            "IMP105",
            f"문자 인코딩이 파일 중간에서 바뀝니다 ({encoding}로 읽을 수 없는 바이트, 위치 {exc.start})",
            f"Encoding changes inside the file (byte not valid {encoding} at offset {exc.start})",
            str(path),
        ) from None
    return target


def import_csv(
    path: Path, display: str, candidates: tuple[Profile, ...], *, explicit: bool, depth: str
) -> Any:
    """Import a CSV; returns ``(ImportResult, Parts)`` like ``spreadsheet.import_with_tables``."""
    from gyeolsan.io import spreadsheet as sp

    text, encoding = _head(path, display)
    sheet = reader.read_csv_text(text)
    matches, skipped = sp.match_sheets([sheet], candidates, display, explicit=explicit)
    m = matches[0]
    if m.header is None:
        raise InputError.single(
            "IMP137",
            f"CSV 파일은 행 단위 표만 읽습니다 ('{m.profile.title}'은 엑셀 표 형식)",
            f"CSV files are read as row tables only (profile {m.profile.name} is a wide workbook table)",
            display,
        )
    big = path.stat().st_size > BIG_CSV_BYTES
    workdir = tempfile.mkdtemp(prefix="gyeolsan-csv-")
    try:
        source = path if encoding in ("utf-8", "utf-8-sig") else transcode(path, encoding, workdir)
        raw = _raw_table(m, sheet, text, source, display, big)
        parts = sp.Parts(findings=skipped)
        parts.findings.append(sp._profile_note(m, raw.unit, display, "csv"))
        parts.findings.extend(raw.findings)
        parts.findings.extend(sp._unit_findings(raw))
        if raw.unit is None:
            raise InputError([f for f in parts.findings if f.severity is Severity.ERROR])
        if raw.title:
            parts.titles.append(raw.title)
        if raw.office:
            parts.offices.append(raw.office)
        if raw.year:
            parts.years.append(raw.year)
        if m.profile.kind == "adjustments":
            from gyeolsan.io.sheets.adjustments import build_adjustments

            raw.frame = raw.frame.collect().lazy()
            records, found = build_adjustments(raw, raw.unit)
            parts.adjustments.extend(records)
            parts.findings.extend(found)
            return sp.assemble(parts, display, path.name), parts
        p = lt.prepare(raw)
        lt.materialise(p, Path(workdir) / "prepared.parquet" if big else None)
        if source != path:
            source.unlink(missing_ok=True)
        years = lt.table_years(p)
        if len(years) > 1:
            parts.findings.append(sp.mixed_years(raw, years))
        if years:
            raw.year = years[-1]
            parts.years = [raw.year]
        parts.prepared.append(p)
        parts.findings.extend(p.findings)
        sp.run_checks(p, parts.findings)
        parts.governments.extend(lt.distinct_values(p, "government", 3))
        parts.offices.extend(lt.distinct_values(p, "office", 3))
        if m.profile.kind == "expenditure":
            from gyeolsan.io.sheets.aggregate import build_expenditure

            chosen = sp.choose_depth(p, depth, parts.findings)
            settlement, summary, governments = build_expenditure(p, depth=chosen)
            parts.settlement, parts.summary = settlement, summary
            if governments > 1:
                parts.findings.append(sp._governments_note(raw, governments))
        else:
            from gyeolsan.io.sheets.aggregate import build_revenue

            parts.revenue = build_revenue(p)
        result = sp.assemble(parts, display, path.name)
    except pl.exceptions.PolarsError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        detail = str(exc).strip().splitlines()
        text_ = next(
            (ln for ln in detail if ln and not ln.startswith(("Original error", "```"))), type(exc).__name__
        )
        raise InputError.single(
            "IMP109",
            f"CSV 형식이 잘못되었습니다 (따옴표·구분자 오류 등): {text_[:160]}",
            f"Malformed CSV (quoting or delimiter): {text_[:160]}",
            display,
        ) from None
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    if big:
        weakref.finalize(p, shutil.rmtree, workdir, True)  # the Parquet file lives as long as its frame
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return result, parts


def _raw_table(m: Any, sheet: reader.Sheet, text: str, source: Path, display: str, big: bool) -> lt.RawTable:
    from gyeolsan.io import spreadsheet as sp
    from gyeolsan.io.sheets.header import read_preamble

    h = m.header
    delim = reader.sniff_delimiter(text[:65536])
    width = max(len(r) for r in sheet.rows[h.start : min(len(sheet.rows), h.end + 200)])
    skip = h.end + 1  # lines before the data: title, unit line, header rows
    lf = pl.scan_csv(
        source,
        has_header=False,
        skip_rows=skip,
        separator=delim,
        schema={f"c{i}": pl.String for i in range(width)},
        truncate_ragged_lines=True,
        encoding="utf8",
        row_index_name=fr.ROW,
        row_index_offset=skip + 1,
    )
    names = list(h.columns)
    # empty → null with when/then: Expr.replace("", None) costs a gigabyte on a million rows
    cells = [pl.col(f"c{h.columns[n]}").str.strip_chars() for n in names]
    strip = [pl.when(c.str.len_bytes() > 0).then(c).alias(n) for c, n in zip(cells, names, strict=True)]
    lf = lf.select(pl.col(fr.ROW).cast(pl.Int64), *strip)
    lf = lf.filter(pl.any_horizontal([pl.col(n).is_not_null() for n in names]))
    lf = lf.filter(
        ~(
            pl.col(names[0]).str.contains(fr.NOTE_ROW.pattern).fill_null(False)
            & pl.all_horizontal([pl.col(n).is_null() for n in names[1:]])
        )
    )
    pre = read_preamble(sheet, h.start)
    raw = lt.RawTable(
        profile=m.profile,
        path=display,
        sheet=None,
        frame=lf,
        columns=dict(h.columns),
        col_units={f: h.units[c] for f, c in h.columns.items() if c in h.units},
        title=pre.title,
        office=pre.office,
        header_rows=(h.start + 1, h.end + 1),
        source_kind="csv",
        streaming=big,
    )
    raw.unit, raw.unit_note = sp._table_unit(pre.unit, raw.col_units, m.profile)
    raw.year = pre.year or sp._year_from([Path(display).name])  # a 회계연도 column, if any, wins later
    return raw


__all__ = ["BIG_CSV_BYTES", "import_csv", "transcode"]
