"""Presenting findings: the terminal text (rich) and the standalone HTML page of ``gyeolsan check``.

The JSON form is :class:`gyeolsan.model.FindingsReport` itself. rich is imported inside
:func:`render_text` so that importing this module stays cheap.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from gyeolsan.model import Finding, FindingsReport, Severity

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
NO_SECTION = "기타 (위치 정보 없음)"


def _section_of(f: Finding) -> str:
    return f.location.section or NO_SECTION


def grouped(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by report section, sections in document order (by their first line)."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[_section_of(f)].append(f)
    for items in groups.values():
        items.sort(key=lambda f: (f.location.line or 0, f.severity.rank, f.rule))
    return sorted(groups.items(), key=lambda kv: min((f.location.line or 10**9) for f in kv[1]))


def summary_line(report: FindingsReport) -> str:
    s = report.summary
    return (
        f"오류 {s['error']}건 · 경고 {s['warning']}건 · 참고 {s['info']}건 (규칙 {s['rules_run']}개 실행)"
        f" / {s['error']} errors, {s['warning']} warnings, {s['info']} notes"
    )


def _values(f: Finding) -> str:
    parts = []
    if f.stated is not None:
        parts.append(f"기재 {f.stated}")
    if f.expected is not None:
        parts.append(f"계산 {f.expected}")
    if f.difference is not None:
        parts.append(f"차이 {f.difference}")
    return " · ".join(parts)


def render_text(report: FindingsReport, silenced: dict[str, str], console: Any) -> None:
    """Print the findings grouped by section, Korean first, with line, stated/expected and hint.

    Each finding is a two-column grid (line | text) so that wrapped text stays aligned; a rule's hint is
    printed with its first finding only.
    """
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"검사 결과 / check: {report.source}", style="bold"))
    console.print(summary_line(report))
    hinted: set[str] = set()
    for section, items in grouped(list(report.findings)):
        console.print()
        console.print(Text(f"■ {section}", style="bold underline"))
        for f in items:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=6, justify="right", no_wrap=True)
            grid.add_column(ratio=1)
            where = f"{f.location.line}행" if f.location.line else "-"
            grid.add_row(
                Text(where, style="dim"),
                Text.assemble(
                    (f"{f.severity.label_ko} ", SEVERITY_STYLE[f.severity.value]),
                    (f"{f.rule} ", "bold"),
                    f.message,
                ),
            )
            extra = [_values(f)] if _values(f) else []
            related = ", ".join(str(r.line) for r in f.related if r.line)
            if related:
                extra.append(f"관련 {related}행")
            if extra:
                grid.add_row("", Text(" | ".join(extra), style="dim"))
            grid.add_row("", Text(f.message_en, style="dim italic"))
            if f.hint and f.rule not in hinted:
                hinted.add(f.rule)
                grid.add_row("", Text(f"→ {f.hint}", style="green"))
            console.print(grid)
    if silenced:
        console.print()
        console.print(Text("■ 끈 규칙 (설정 파일) / silenced rules", style="bold underline"))
        for rule_id, reason in sorted(silenced.items()):
            console.print(Text.assemble(("  " + rule_id, "bold"), f"  {reason}"))
    if not report.findings:
        console.print(Text("발견된 문제가 없습니다 / no findings", style="green"))


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
:root { --err:#b3261e; --warn:#a15c00; --info:#1f5f99; --line:#f6f6f4; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic",
       "Apple SD Gothic Neo", sans-serif; color: #1b1b1b; background: #fff; line-height: 1.5; }
header { padding: 16px 24px; border-bottom: 1px solid #ddd; background: #fafafa; position: sticky; top: 0; z-index: 2; }
h1 { font-size: 1.25rem; margin: 0 0 4px; }
.summary span { margin-right: 12px; font-weight: bold; }
.error-t { color: var(--err); } .warning-t { color: var(--warn); } .info-t { color: var(--info); }
main { padding: 8px 24px 48px; }
.doc { display: grid; grid-template-columns: 4.5em minmax(0, 1fr) minmax(0, 1fr); font-size: 0.88rem; }
.doc > div { padding: 1px 6px; border-bottom: 1px solid #f0f0f0; }
.no { color: #888; text-align: right; font-variant-numeric: tabular-nums; scroll-margin-top: 96px; }
.no a { color: inherit; text-decoration: none; }
.txt { white-space: pre-wrap; word-break: break-all; }
.txt.row-error { background: #fdecea; } .txt.row-warning { background: #fff4e0; }
.txt.row-info { background: #eaf2fb; } .txt.row-related { background: var(--line); }
.f { border-left: 4px solid; padding: 2px 8px; margin: 2px 0 4px; background: #fff; }
.f.error { border-color: var(--err); } .f.warning { border-color: var(--warn); } .f.info { border-color: var(--info); }
.badge { display: inline-block; white-space: nowrap; font-size: 0.75rem; font-weight: bold; padding: 0 6px; border-radius: 3px;
         color: #fff; margin-right: 4px; }
.badge.error { background: var(--err); } .badge.warning { background: var(--warn); } .badge.info { background: var(--info); }
.en, .vals, .hint, .rel { font-size: 0.8rem; color: #555; }
.hint { color: #2e6b2e; }
.list .f { margin: 6px 0; }
table.silenced, table.index { border-collapse: collapse; margin: 8px 0; font-size: 0.85rem; }
table.index td { border-bottom: 1px solid #eee; padding: 2px 8px; vertical-align: top; }
table.index td:nth-child(-n+3) { white-space: nowrap; }
details { margin: 8px 0; } summary { cursor: pointer; font-weight: bold; }
table.silenced td, table.silenced th { border: 1px solid #ddd; padding: 4px 8px; text-align: left; }
.no:target { outline: 2px solid #888; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _finding_html(f: Finding) -> str:
    sev = f.severity.value
    related = " ".join(f'<a href="#L{r.line}">{r.line}</a>' for r in f.related if r.line)
    parts = [
        f'<div class="f {sev}">',
        f'<span class="badge {sev}">{_e(f.severity.label_ko)}</span><b>{_e(f.rule)}</b> {_e(f.message)}',
    ]
    if _values(f):
        parts.append(f'<div class="vals">{_e(_values(f))}</div>')
    if related:
        parts.append(f'<div class="rel">관련 행: {related}</div>')
    parts.append(f'<div class="en">{_e(f.message_en)}</div>')
    if f.hint:
        parts.append(f'<div class="hint">→ {_e(f.hint)}</div>')
    parts.append("</div>")
    return "".join(parts)


def render_html(report: FindingsReport, lines: Sequence[str] | None, silenced: dict[str, str]) -> str:
    """A standalone page: the document's lines, each with its findings beside it (everything escaped)."""
    by_line: dict[int, list[Finding]] = defaultdict(list)
    related: set[int] = set()
    unplaced: list[Finding] = []
    for f in report.findings:
        if lines is not None and f.location.line and 1 <= f.location.line <= len(lines):
            by_line[f.location.line].append(f)
            related.update(r.line for r in f.related if r.line)
        else:
            unplaced.append(f)
    s = report.summary
    out = [
        "<!DOCTYPE html>",
        '<html lang="ko"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>검사 결과 — {_e(report.source)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<header><h1>결산 검사 결과 / check results: {_e(report.source)}</h1>",
        '<div class="summary">'
        f'<span class="error-t">오류 {s["error"]}</span>'
        f'<span class="warning-t">경고 {s["warning"]}</span>'
        f'<span class="info-t">참고 {s["info"]}</span>'
        f"<span>규칙 {s['rules_run']}개 실행</span></div></header><main>",
    ]
    if silenced:
        out.append(
            '<h2>끈 규칙 / silenced rules</h2><table class="silenced"><tr><th>규칙</th><th>사유</th></tr>'
        )
        out += [f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in sorted(silenced.items())]
        out.append("</table>")
    placed = [f for line in sorted(by_line) for f in by_line[line]]
    if placed:
        out.append(f'<details open><summary>목록 / index ({len(placed)})</summary><table class="index">')
        for f in placed:
            sev = f.severity.value
            out.append(
                f'<tr><td><a href="#L{f.location.line}">{f.location.line}행</a></td>'
                f'<td><span class="badge {sev}">{_e(f.severity.label_ko)}</span></td>'
                f"<td>{_e(f.rule)}</td><td>{_e(f.message)}</td></tr>"
            )
        out.append("</table></details>")
    if unplaced:
        out.append('<h2>위치가 없는 항목 / findings without a line</h2><div class="list">')
        out += [_finding_html(f) for f in sorted(unplaced, key=Finding.sort_key)]
        out.append("</div>")
    if lines is not None:
        out.append('<h2>문서 / document</h2><div class="doc">')
        for no, text in enumerate(lines, start=1):
            here = by_line.get(no, [])
            worst = min((f.severity for f in here), key=lambda sv: sv.rank, default=None)
            cls = f"row-{worst.value}" if worst else ("row-related" if no in related else "")
            notes = "".join(_finding_html(f) for f in here)
            out.append(
                f'<div class="no {cls}" id="L{no}"><a href="#L{no}">{no}</a></div>'
                f'<div class="txt {cls}">{_e(text)}</div><div class="notes">{notes}</div>'
            )
        out.append("</div>")
    if not report.findings:
        out.append("<p>발견된 문제가 없습니다 / no findings.</p>")
    out.append("</main></body></html>")
    return "\n".join(out)


def exit_code(findings: Sequence[Finding]) -> int:
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0
