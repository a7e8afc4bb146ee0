"""Reading a report text file: decoding, and the ``Line`` records every parser works on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gyeolsan.io.errors import InputError
from gyeolsan.model import Finding, Location, Severity, Source
from gyeolsan.model.numbers import normalize_text

MAX_BYTES = 20 * 1024 * 1024

_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"^(#{1,6})\s*")
_MARKERS = "□■○●◎◇◆▶▷►·ㆍ※-*"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


@dataclass(frozen=True)
class Line:
    """One physical line of the input with light classification."""

    no: int  # 1-based
    raw: str
    path: str

    @property
    def text(self) -> str:
        """Normalised text: tags removed, full-width folded, private-use glyphs dropped, stripped."""
        return normalize_text(_PRIVATE_USE.sub("", self.raw))

    @property
    def is_table(self) -> bool:
        return "\t" in self.raw

    @property
    def cells(self) -> list[str]:
        return [normalize_text(c) for c in self.raw.split("\t")]

    @property
    def bold(self) -> bool:
        return "<b>" in self.raw.lower() or self.raw.strip().startswith("**")

    @property
    def heading_level(self) -> int:
        m = _HEADING.match(self.raw.strip())
        return len(m.group(1)) if m else 0

    @property
    def bare(self) -> str:
        """Text without heading hashes, bold stars and leading list markers (□, -, ▶, ○ …)."""
        t = _HEADING.sub("", self.text).replace("**", "").strip()
        while t and (t[0] in _MARKERS or t[0] in "①②③④⑤⑥⑦⑧⑨⑩"):
            if t[0] == "-" and len(t) > 1 and t[1].isdigit():
                break
            t = t[1:].strip()
        return t

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" "))

    def src(self) -> Source:
        return Source(path=self.path, line=self.no, text=self.raw.rstrip("\n"))


def decode(data: bytes, path: str) -> tuple[str, list[Finding]]:
    """Decode bytes as UTF-8 (with or without BOM), falling back to CP949 with a finding."""
    if not data.strip():
        raise InputError.single("IMP001", "입력 파일이 비어 있습니다", "The input file is empty", path)
    if b"\x00" in data[:8192]:
        raise InputError.single(
            "IMP001",
            "텍스트 파일이 아닙니다 (이진 데이터)",
            "Not a text file (binary data)",
            path,
        )
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise InputError.single(
            "IMP001",
            f"문자 인코딩을 알 수 없습니다 (UTF-8도 CP949도 아님, {line}행 부근)",
            f"Unknown character encoding (neither UTF-8 nor CP949, near line {line})",
            path,
            line,
        ) from None
    note = Finding(
        rule="IMP002",
        severity=Severity.WARNING,
        message="UTF-8이 아니라 CP949(EUC-KR)로 인코딩된 파일입니다. CP949로 읽었습니다",
        message_en="File is not UTF-8 but CP949 (EUC-KR); it was read as CP949",
        hint="가능하면 UTF-8로 저장하십시오",
        location=Location(path=path, line=1),
    )
    return text, [note]


def read_lines(path: Path, display: str | None = None) -> tuple[list[Line], list[Finding]]:
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError.single(
                "IMP001",
                f"파일이 너무 큽니다 ({size:,} 바이트)",
                f"File too large ({size:,} bytes)",
                name,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(
            "IMP001", f"파일을 읽을 수 없습니다: {exc.strerror}", f"Cannot read file: {exc.strerror}", name
        ) from None
    text, findings = decode(data, name)
    lines = [Line(no=i, raw=raw, path=name) for i, raw in enumerate(text.splitlines(), start=1)]
    return lines, findings


def strip_tags(text: str) -> str:
    return _TAG.sub("", text)
