"""Section III (결산검사 시정·권고사항 조치결과): one table row per recommendation, cells with HTML fragments."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from gyeolsan.io.report_text.context import Context, parse_date
from gyeolsan.io.report_text.reader import Line
from gyeolsan.io.report_text.tables import squash
from gyeolsan.model import AuditRecommendation, Severity
from gyeolsan.model.numbers import normalize_text

_BLOCK = re.compile(r"<\s*(?:p|li)\b[^>]*>(.*?)<\s*/\s*(?:p|li)\s*>", re.S | re.I)
_STATUS = re.compile(r"(추진완료|추진중|완료|진행중|미추진|일부추진)")


def paragraphs(cell: str) -> tuple[str, ...]:
    """Split a cell holding <p>/<li> fragments into clean paragraphs."""
    parts = _BLOCK.findall(cell) or [cell]
    out = []
    for part in parts:
        text = normalize_text(html.unescape(re.sub(r"<[^>]+>", " ", part)))
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            out.append(text)
    return tuple(out)


def parse_audits(lines: Sequence[Line], ctx: Context) -> tuple[str | None, list[AuditRecommendation]]:
    title: str | None = None
    out: list[AuditRecommendation] = []
    columns: list[str] | None = None
    for line in lines:
        if not line.is_table:
            if line.bare and title is None and line.heading_level:
                title = line.bare
            elif line.bare:
                ctx.unrecognised(line, 3, "시정권고사항")
            continue
        cells = line.raw.split("\t")
        first = squash(normalize_text(re.sub(r"<[^>]+>", "", cells[0])))
        if first in {"연번", "번호", "순번"}:
            columns = [squash(normalize_text(c)) for c in cells]
            continue
        if not first.isdigit():
            ctx.unrecognised(line, 3, "시정권고사항 표")
            continue
        out.append(_recommendation(int(first), cells, columns or [], line, ctx))
    return title, out


def _recommendation(
    number: int, cells: list[str], columns: list[str], line: Line, ctx: Context
) -> AuditRecommendation:
    def col(*words: str, default: int) -> str:
        for i, c in enumerate(columns):
            if any(w in c for w in words):
                return cells[i] if i < len(cells) else ""
        return cells[default] if default < len(cells) else ""

    if len(cells) < 4:
        ctx.add(
            "IMP021",
            Severity.ERROR,
            line,
            f"시정권고사항 표의 행에 칸이 모자랍니다 ({len(cells)}칸)",
            f"Audit table row has too few cells ({len(cells)})",
            section=3,
        )
    title = " ".join(paragraphs(col("권고", default=1)))
    action = paragraphs(col("추진", "조치", default=3))
    status = None
    status_date = None
    if action:
        m = _STATUS.search(action[0])
        if m:
            status = m.group(1)
            status_date = parse_date(action[0])
    department = " ".join(paragraphs(col("소관", "부서", default=4)))
    return AuditRecommendation(
        number=number,
        title=title,
        content=paragraphs(col("내용", default=2)),
        action=action,
        status=status,
        status_date=status_date,
        department=department or None,
        src=line.src(),
    )
