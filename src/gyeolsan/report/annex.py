"""The findings annex (``--with-findings``): the validation results printed after section IV."""

from __future__ import annotations

from collections import Counter

from gyeolsan.model import Finding
from gyeolsan.report.config import ReportConfig
from gyeolsan.report.document import Block, Cell, Heading, Paragraph, Row, Table


def annex(findings: list[Finding], cfg: ReportConfig) -> list[Block]:
    ordered = sorted(findings, key=Finding.sort_key)
    counts = Counter(f.severity.value for f in ordered)
    summary = f"오류 {counts['error']}건 · 경고 {counts['warning']}건 · 참고 {counts['info']}건"
    out: list[Block] = [Heading(1, cfg.annex_title), Paragraph(f"검증 결과: {summary}", "lead")]
    if not ordered:
        out.append(Paragraph("발견된 문제가 없습니다. / No findings."))
        return out
    rows = []
    for n, f in enumerate(ordered, start=1):
        where = f"{f.location.line}행" if f.location.line else ""
        place = " / ".join(
            x for x in (f.location.section, f.location.table, f.location.row, f.location.field) if x
        )
        rows.append(
            Row(
                cells=(
                    Cell(str(n), value=n, kind="count"),
                    Cell(f.rule),
                    Cell(f.severity.label_ko),
                    Cell("\n".join(x for x in (where, place) if x)),
                    Cell("\n".join(x for x in (f.message, f.message_en, f.hint and f"→ {f.hint}") if x)),
                    Cell(f.stated or ""),
                    Cell(f.expected or ""),
                ),
                level=1,
                key=f"findings/{n}",
            )
        )
    out.append(
        Table(
            id="findings",
            caption="검증 결과 (gyeolsan check)",
            unit=None,
            header=(tuple(Cell(h) for h in ("번호", "규칙", "구분", "위치", "내용", "기재값", "계산값")),),
            rows=tuple(rows),
            columns=("number", "rule", "severity", "location", "text", "stated", "expected"),
            widths=(5, 9, 6, 16, 44, 10, 10),
        )
    )
    return out
