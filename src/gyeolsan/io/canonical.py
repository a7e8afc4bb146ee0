"""The canonical format: versioned JSON (``"format": "gyeolsan/1"``), lossless and deterministic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gyeolsan.io.errors import InputError
from gyeolsan.model import FORMAT, Settlement


def dumps(settlement: Settlement) -> str:
    """Canonical JSON text: defaults omitted, keys in model order, UTF-8, trailing newline."""
    data = settlement.model_dump(mode="json", exclude_defaults=True)
    data = {"format": FORMAT, **{k: v for k, v in data.items() if k != "format"}}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def loads(text: str, path: str = "<json>") -> Settlement:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(
            "IMP004",
            f"JSON 문법 오류: {exc.msg} ({exc.lineno}행 {exc.colno}열)",
            f"Invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            path,
            exc.lineno,
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise InputError.single(
            "IMP005",
            f"gyeolsan 표준 형식이 아닙니다 (format = {found!r}, 필요: {FORMAT!r})",
            f"Not a gyeolsan canonical document (format = {found!r}, expected {FORMAT!r})",
            path,
            1,
        )
    try:
        return Settlement.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError.single(
            "IMP006",
            f"표준 형식 검증 오류 ({exc.error_count()}건): {where}: {first['msg']}",
            f"Canonical document is invalid ({exc.error_count()} errors): {where}: {first['msg']}",
            path,
            field=where,
        ) from None


def load(path: Path, display: str | None = None) -> Settlement:
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(
            "IMP001", f"파일을 읽을 수 없습니다: {exc}", f"Cannot read file: {exc}", name
        ) from None
    return loads(text, name)


def json_schema() -> dict[str, Any]:
    schema = Settlement.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = FORMAT
    return schema
