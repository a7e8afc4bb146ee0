"""Open data: 지방재정365 open-API responses (JSON) as a sheet of records.

The open API answers in the common Korean open-data envelope::

    {"<서비스명>": [{"head": [{"list_total_count": 1234},
                              {"RESULT": {"CODE": "INFO-000", "MESSAGE": "정상 처리되었습니다."}}]},
                    {"row": [{"FYR": "2018", "LAF_NM": "서울특별시", ...}, ...]}]}

(data.go.kr services wrap the same rows as ``{"response": {"body": {"items": {"item": [...]}}}}``).
A file may hold one page or a JSON array of pages; the rows of all pages are read in order. The
field names are mapped by the ``lofin365_detail`` profile like any spreadsheet header, so a renamed
field needs only a new synonym there. Amounts in the API are in 원.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeGuard

from gyeolsan.io.errors import InputError
from gyeolsan.io.sheets.reader import Sheet
from gyeolsan.io.sheets.text import cell_text

ROW_KEYS = ("row", "item", "items", "data", "list", "records")
OK_CODES = {"INFO-000", "00", "0", "NORMAL SERVICE", "NORMAL_CODE"}


def _results(node: Any) -> list[tuple[str, str]]:
    """Every RESULT/resultCode in the response: (code, message)."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        res = node.get("RESULT")
        if isinstance(res, dict) and "CODE" in res:
            out.append((str(res.get("CODE")), str(res.get("MESSAGE", ""))))
        if "resultCode" in node:
            out.append((str(node["resultCode"]), str(node.get("resultMsg", ""))))
        for v in node.values():
            out.extend(_results(v))
    elif isinstance(node, list):
        for v in node:
            out.extend(_results(v))
    return out


def _is_records(value: Any) -> TypeGuard[list[dict[str, Any]]]:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(r, dict) for r in value)
        and all(not isinstance(v, dict | list) for r in value[:5] for v in r.values())
    )


def find_records(node: Any) -> list[dict[str, Any]]:
    """All record lists in the document, in order (several pages → one list)."""
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for key in ROW_KEYS:
            value = node.get(key)
            if _is_records(value):
                out.extend(value)
            elif isinstance(value, dict) and _is_records(item := value.get("item")):
                out.extend(item)
        for key, value in node.items():
            if key not in ROW_KEYS:
                out.extend(find_records(value))
    elif isinstance(node, list):
        if _is_records(node):
            out.extend(node)
        else:
            for v in node:
                out.extend(find_records(v))
    return out


def read_json(path: Path, display: str) -> Sheet:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError.single(
            "IMP108", f"JSON을 읽을 수 없습니다: {exc}", f"Cannot read JSON: {exc}", display
        ) from None
    failures = [(c, m) for c, m in _results(data) if c not in OK_CODES]
    records = find_records(data)
    if failures and not records:
        code, message = failures[0]
        raise InputError.single(
            "IMP108",
            f"오픈 API가 오류를 돌려주었습니다: {code} {message}",
            f"The open API returned an error: {code} {message}",
            display,
        )
    if not records:
        raise InputError.single(
            "IMP108",
            "JSON에서 자료 행(row/item 목록)을 찾지 못했습니다",
            "No data records (a row/item list) found in the JSON",
            display,
        )
    keys: list[str] = []
    seen: set[str] = set()
    for rec in records:
        for k in rec:
            if k not in seen:
                seen.add(k)
                keys.append(k)
    rows: list[list[str | None]] = [list(keys)]
    for rec in records:
        rows.append([cell_text(rec.get(k)) for k in keys])
    return Sheet(None, rows, 1)
