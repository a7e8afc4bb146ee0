"""`gyeolsan check` (validate a report with the rule catalogue) and `gyeolsan rules` (list the catalogue)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from gyeolsan.cli import app
from gyeolsan.cli.common import EXIT_INPUT, eprint, load_input, write_output


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    html = "html"


@app.command("check")
def check(
    src: Annotated[
        Path,
        typer.Argument(
            help="보고서 텍스트, 표준 JSON 또는 엑셀/CSV / report text, canonical JSON or spreadsheet"
        ),
    ],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="출력 형식 text|json|html / output format")
    ] = Format.text,
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="출력 파일 (기본: 표준출력) / output file")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="규칙 설정 rules.toml / rule settings (silence with reasons)"),
    ] = None,
    against: Annotated[
        Path | None,
        typer.Option(
            "--against",
            help="원자료(e호조 엑셀/CSV, 공개자료 JSON)와 대조 (XSRC) / compare with the export",
        ),
    ] = None,
) -> None:
    """검사: 합계·비율·반올림·장 간 대조 등 규칙으로 결산 보고서를 검증합니다 / Check a report.

    종료 코드 / exit code: 0 오류 없음, 1 오류 있음, 2 입력을 읽을 수 없음.
    """
    import json

    from gyeolsan.model import FindingsReport
    from gyeolsan.rules import run
    from gyeolsan.rules.config import DEFAULT, RuleConfig
    from gyeolsan.rules.output import exit_code

    rule_config = DEFAULT
    if config is not None:
        try:
            rule_config = RuleConfig.load(config)
        except ValueError as exc:
            eprint(f"설정 파일 오류 / invalid config: {config}\n  {exc}")
            raise SystemExit(EXIT_INPUT) from None
    result = load_input(src)
    silenced = rule_config.silenced
    findings = [f for f in result.findings if f.rule not in silenced]
    outcome = run(result.settlement, rule_config, str(src))
    findings += outcome.findings
    if against is not None:
        from gyeolsan.io.sheets.reconcile import compare_to_export

        export = load_input(against).settlement
        xsrc = compare_to_export(result.settlement, export)
        findings += [f for f in xsrc if f.rule not in silenced]
    report = FindingsReport.build(str(src), findings, outcome.rules_run)
    if fmt is Format.json:
        data = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    elif fmt is Format.html:
        from gyeolsan.rules.output import render_html

        data = render_html(report, _document_lines(src), silenced)
    else:
        data = _text(report, silenced, to_terminal=out is None)
    write_output(out, data)
    if out is not None:
        eprint(f"저장했습니다 / written: {out}")
    raise typer.Exit(exit_code(report.findings))


def _text(report, silenced: dict[str, str], *, to_terminal: bool) -> str:  # type: ignore[no-untyped-def]
    import io
    import shutil
    import sys

    from rich.console import Console

    from gyeolsan.rules.output import render_text

    buf = io.StringIO()
    color = to_terminal and sys.stdout.isatty()
    width = shutil.get_terminal_size((120, 40)).columns if color else 160
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width, highlight=False)
    render_text(report, silenced, console)
    text = buf.getvalue()
    return text if color else "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _document_lines(src: Path) -> list[str] | None:
    """The report's lines for the HTML view (None for canonical JSON and spreadsheets)."""
    if src.suffix.lower() in {".json", ".xlsx", ".xlsm", ".csv"}:
        return None
    from gyeolsan.io.report_text.reader import decode

    try:
        text, _ = decode(src.read_bytes(), str(src))
    except Exception:  # already imported successfully; the page then lists findings only
        return None
    return text.splitlines()


@app.command("rules")
def rules(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="docs/rules.md 형식으로 출력 / print the catalogue as Markdown")
    ] = False,
    out: Annotated[Path | None, typer.Option("-o", "--output", help="출력 파일 / output file")] = None,
) -> None:
    """규칙 목록 / List the rule catalogue (id, category, severity, title)."""
    from gyeolsan.rules.docs import render_list, render_markdown

    write_output(out, render_markdown() if markdown else render_list())
