"""Reading workbooks and CSV files safely into plain grids of cell values.

XLSX is a zip of XML parts: before openpyxl opens it, the zip is checked (member count, total
uncompressed size, compression ratio) so a zip bomb is refused cheaply. openpyxl parses sheets with
defusedxml when it is installed (it is: entity declarations raise instead of expanding). Small
workbooks are read in normal mode (merged cells known); big ones in ``read_only`` mode, with the merged
ranges read from the sheet XML ourselves. Formula cells without a cached value (a workbook written by
a program and never opened in Excel) are found in the XML and reported.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gyeolsan.io.errors import InputError
from gyeolsan.io.sheets.text import cell_ref, cell_text

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # total of all members
MAX_RATIO = 150  # uncompressed / compressed, per member bigger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 10_000
READ_ONLY_ABOVE = 5 * 1024 * 1024  # bytes of sheet XML; above this openpyxl streams (read_only)


@dataclass
class Sheet:
    """One sheet (or a CSV file) as rows of plain values; merged ranges filled with their top-left value."""

    name: str | None  # None for CSV
    rows: list[list[str | None]]
    first_row: int = 1  # sheet row / file line number of rows[0]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r1, c1, r2, c2), 0-based
    formulas_without_value: list[str] = field(default_factory=list)  # cells like "B17"
    read_only: bool = False

    def row_number(self, index: int) -> int:
        return self.first_row + index


def _fail(rule: str, ko: str, en: str, path: str, **coords: str | None) -> InputError:
    return InputError.single(rule, ko, en, path, None, **coords)


# ------------------------------------------------------------------------------------ sniffing


def sniff(path: Path, display: str) -> str:
    """ "xlsx", "csv" — or raise InputError for encrypted/old/corrupt/empty files."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _fail(
            "IMP100", f"파일을 읽을 수 없습니다: {exc}", f"Cannot read file: {exc}", display
        ) from None
    suffix = path.suffix.lower()
    if not head:
        raise _fail("IMP106", "빈 파일입니다", "The file is empty", display)
    if head.startswith(OLE2_MAGIC):
        raise _fail(
            "IMP101",
            "암호가 걸린 엑셀 파일이거나 예전 .xls 형식입니다 (OLE2 파일). 암호를 풀고 .xlsx로 다시 저장하세요",
            "Encrypted workbook or legacy .xls (OLE2 container); remove the password and save as .xlsx",
            display,
        )
    if suffix in {".xlsx", ".xlsm"}:
        if not head.startswith(ZIP_MAGIC):
            raise _fail(
                "IMP102",
                "엑셀(.xlsx) 파일이 아닙니다 (zip 형식이 아님)",
                "Not an .xlsx workbook (not a zip container)",
                display,
            )
        return "xlsx"
    return "csv"


def check_zip(path: Path, display: str) -> zipfile.ZipFile:
    """Open the zip and refuse bombs and non-workbooks before any XML is parsed."""
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _fail(
            "IMP102",
            f"엑셀 파일이 손상되었습니다 (zip 오류: {exc})",
            f"Corrupt workbook (zip error: {exc})",
            display,
        ) from None
    if len(infos) > MAX_MEMBERS:
        zf.close()
        raise _fail(
            "IMP103",
            f"엑셀 파일의 구성 요소가 너무 많습니다 ({len(infos):,}개 > {MAX_MEMBERS:,}개)",
            f"Too many zip members ({len(infos):,} > {MAX_MEMBERS:,})",
            display,
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        zf.close()
        raise _fail(
            "IMP103",
            f"압축을 풀면 너무 큽니다 ({total / 2**20:,.0f} MB > {MAX_UNCOMPRESSED / 2**20:,.0f} MB): 압축 폭탄일 수 있습니다",
            f"Uncompressed size too large ({total / 2**20:,.0f} MB > {MAX_UNCOMPRESSED / 2**20:,.0f} MB): possible zip bomb",
            display,
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            zf.close()
            ratio = info.file_size // max(info.compress_size, 1)
            raise _fail(
                "IMP103",
                f"압축률이 비정상입니다 ({info.filename}: {ratio:,}배 > {MAX_RATIO}배): 압축 폭탄일 수 있습니다",
                f"Suspicious compression ratio ({info.filename}: {ratio:,}x > {MAX_RATIO}x): possible zip bomb",
                display,
            )
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        zf.close()
        raise _fail(
            "IMP102",
            "엑셀 통합문서가 아닙니다 (xl/workbook.xml 없음)",
            "Not an Excel workbook (no xl/workbook.xml)",
            display,
        )
    return zf


# ------------------------------------------------------------------------------------ xlsx

_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_CELL = re.compile(rb"<c\b([^>]*)>(.*?)</c>", re.S)
_REF = re.compile(rb'\br="([A-Z]+\d+)"')


def _col_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of its XML (via workbook.xml and its relationships)."""
    wb = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in zf.namelist() else b""
    targets = {
        m[1].decode(): m[2].decode()
        for m in re.finditer(rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m[2].decode(): m[1].decode()
            for m in re.finditer(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
        }
    )
    out: dict[str, str] = {}
    for m in re.finditer(rb"<sheet\b[^>]*>", wb):
        tag = m[0]
        name = re.search(rb'\bname="([^"]*)"', tag)
        rid = re.search(rb'\br:id="([^"]*)"', tag) or re.search(rb'\bid="([^"]*)"', tag)
        if not name or not rid:
            continue
        target = targets.get(rid[1].decode(), "")
        target = target.lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        out[_xml_unescape(name[1].decode("utf-8"))] = member
    return out


def _xml_unescape(s: str) -> str:
    return (
        s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _scan_sheet_xml(data: bytes) -> tuple[list[tuple[int, int, int, int]], list[str]]:
    """Merged ranges and formula cells that have no cached value, from the raw sheet XML."""
    merged = [
        (int(m[2]) - 1, _col_index(m[1]), int(m[4]) - 1, _col_index(m[3])) for m in _MERGE.finditer(data)
    ]
    missing: list[str] = []
    if b"<f" in data:
        for m in _CELL.finditer(data):
            body = m[2]
            if b"<f" in body and not re.search(rb"<v>[^<]+</v>", body):
                ref = _REF.search(m[1])
                if ref:
                    missing.append(ref[1].decode())
    return merged, missing


def read_xlsx(path: Path, display: str) -> list[Sheet]:
    zf = check_zip(path, display)
    with zf:
        parts = _sheet_parts(zf)
        scans: dict[str, tuple[list[tuple[int, int, int, int]], list[str]]] = {}
        xml_size = 0
        for name, member in parts.items():
            try:
                data = zf.read(member)
            except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise _fail(
                    "IMP102",
                    f"엑셀 파일이 손상되었습니다 (시트 '{name}': {exc})",
                    f"Corrupt workbook (sheet '{name}': {exc})",
                    display,
                    sheet=name,
                ) from None
            xml_size += len(data)
            scans[name] = _scan_sheet_xml(data)
            del data
    read_only = xml_size > READ_ONLY_ABOVE
    wb = _open_workbook(path, display, read_only)
    sheets: list[Sheet] = []
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            merged, missing = scans.get(ws.title, ([], []))
            rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            _trim(rows)
            _fill_merged(rows, merged)
            sheets.append(Sheet(ws.title, rows, 1, merged, missing, read_only))
    except Exception as exc:  # openpyxl raises many kinds on malformed XML
        raise _xml_failure(exc, display) from None
    finally:
        if read_only:
            wb.close()
    return sheets


def _open_workbook(path: Path, display: str, read_only: bool) -> Any:
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" and the like
            return openpyxl.load_workbook(path, read_only=read_only, data_only=True, keep_links=False)
    except Exception as exc:
        raise _xml_failure(exc, display) from None


UNSAFE_XML = {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"}


def _xml_failure(exc: Exception, display: str) -> InputError:
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 10:  # openpyxl wraps the parser's error in a ValueError
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    unsafe = next((e for e in chain if type(e).__name__ in UNSAFE_XML), None)
    kind = type(unsafe or exc).__name__
    if unsafe is not None:
        return _fail(
            "IMP104",
            f"안전하지 않은 XML(엔티티·DTD 선언)이 들어 있어 열지 않았습니다 ({kind})",
            f"Refused unsafe XML in the workbook (entity/DTD declaration: {kind})",
            display,
        )
    return _fail(
        "IMP102",
        f"엑셀 파일이 손상되었거나 읽을 수 없습니다 ({kind}: {str(exc)[:120]})",
        f"Corrupt or unreadable workbook ({kind}: {str(exc)[:120]})",
        display,
    )


def _trim(rows: list[list[str | None]]) -> None:
    """Drop trailing empty cells and trailing empty rows (read_only sheets pad to the used range)."""
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()


def _fill_merged(rows: list[list[str | None]], merged: list[tuple[int, int, int, int]]) -> None:
    for r1, c1, r2, c2 in merged:
        if r1 >= len(rows):
            continue
        top = rows[r1]
        value = top[c1] if c1 < len(top) else None
        if value is None:
            continue
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c2:
                row.extend([None] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                if row[c] is None:
                    row[c] = value


# ------------------------------------------------------------------------------------ csv

ENCODINGS = ("utf-8-sig", "cp949")


def decode_bytes(raw: bytes, display: str) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), else CP949 (a superset of EUC-KR)."""
    if b"\x00" in raw[:4096]:
        raise _fail(
            "IMP107",
            "텍스트(CSV) 파일이 아닙니다 (이진 데이터)",
            "Not a text (CSV) file: binary data",
            display,
        )
    for enc in ENCODINGS:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, (
            "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        ) if enc == "utf-8-sig" else enc
    raise _fail(
        "IMP105",
        "문자 인코딩을 알 수 없습니다 (UTF-8, CP949/EUC-KR이 아님)",
        "Unknown text encoding (neither UTF-8 nor CP949/EUC-KR)",
        display,
    )


def sniff_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1
    for delim in (",", "\t", ";", "|"):
        counts = [ln.count(delim) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        score = sorted(counts)[len(counts) // 2]  # median: title lines have none
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv_text(text: str) -> Sheet:
    delim = sniff_delimiter(text[:65536])
    rows: list[list[str | None]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim):
        rows.append([cell_text(v) for v in row])
    _trim(rows)
    return Sheet(None, rows, 1)


__all__ = [
    "Sheet",
    "cell_ref",
    "check_zip",
    "decode_bytes",
    "read_csv_text",
    "read_xlsx",
    "sniff",
]
