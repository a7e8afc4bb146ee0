"""`gyeolsan report` (the 결산 업무보고 in hwpx, pdf, docx, xlsx, html, md) and `gyeolsan chart`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gyeolsan.cli import app
from gyeolsan.cli.common import EXIT_INPUT, describe, eprint, load_input

FORMAT_HELP = "hwpx | pdf | docx | xlsx | html | md | all (all: 모든 형식을 폴더 PATH에 / every format into folder PATH)"


def _config(path: Path | None):  # type: ignore[no-untyped-def]
    from gyeolsan.report.config import DEFAULT, ConfigError, load_config

    if path is None:
        return DEFAULT
    try:
        return load_config(path)
    except ConfigError as exc:
        eprint(f"{path}: {exc}")
        raise SystemExit(EXIT_INPUT) from None


@app.command("report")
def report(
    src: Annotated[
        Path,
        typer.Argument(
            help="보고서 텍스트, 표준 JSON 또는 엑셀/CSV / report text, canonical JSON, spreadsheet"
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "pdf",
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="출력 파일 (all: 폴더) / output file (all: folder)")
    ] = None,
    with_findings: Annotated[
        bool,
        typer.Option(
            "--with-findings", help="검증 결과를 부록으로 붙입니다 / append the findings as an annex"
        ),
    ] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="보고서 설정 report.toml / report settings")
    ] = None,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="그래프 포함 / include charts")] = True,
    pdf_engine: Annotated[
        str | None,
        typer.Option(
            "--pdf-engine",
            help="PDF 조판기: typst(기본, 빠름) 또는 weasyprint(HTML 그대로) / PDF engine: typst or weasyprint",
        ),
    ] = None,
) -> None:
    """보고서 작성: 모든 합계·비율·제목 숫자를 자료에서 다시 계산해 씁니다 / Write the report (every figure recomputed)."""
    from gyeolsan.report import FORMATS, WriterMissing, available_formats, report_stem, writer

    fmt = fmt.lower().lstrip(".")
    if fmt not in (*FORMATS, "all"):
        eprint(f"알 수 없는 형식입니다 / unknown format: {fmt!r} ({FORMAT_HELP})")
        raise SystemExit(EXIT_INPUT)
    cfg = _config(config)
    if not charts:
        from dataclasses import replace

        cfg = replace(cfg, charts=False)
    if pdf_engine is not None:
        from dataclasses import replace

        if pdf_engine not in ("typst", "weasyprint"):
            eprint(f"알 수 없는 PDF 엔진입니다 / unknown PDF engine: {pdf_engine!r} (typst, weasyprint)")
            raise SystemExit(EXIT_INPUT)
        cfg = replace(cfg, pdf_engine=pdf_engine)
    if fmt != "all":
        try:
            writer(fmt)
        except WriterMissing as exc:
            eprint(str(exc))
            raise SystemExit(EXIT_INPUT) from None
    result = load_input(src)
    settlement = result.settlement
    findings = None
    if with_findings:
        from gyeolsan.rules import run

        findings = list(result.findings) + list(run(settlement, path=str(src)).findings)
    target = out or (
        Path(f"{report_stem(settlement)}-report") if fmt == "all" else Path(f"{src.stem}{FORMATS[fmt][1]}")
    )
    missing = [f for f in FORMATS if f not in available_formats()] if fmt == "all" else []
    written, notes = _render(settlement, fmt, target, cfg, findings)
    for f in notes:
        eprint(describe(f))
    if missing:
        eprint(f"작성기가 없어 건너뛴 형식 / skipped (no writer yet): {', '.join(missing)}")
    for path in written:
        eprint(f"저장했습니다 / written: {path}")


def _render(settlement, fmt, target, cfg, findings):  # type: ignore[no-untyped-def]
    """Build once, write each format atomically; the REF* findings of the report go to stderr."""
    from gyeolsan.report import CHART_FORMATS, FORMATS, available_formats, report_stem, write_all
    from gyeolsan.report.build import build
    from gyeolsan.report.prepare import prepare

    formats = available_formats() if fmt == "all" else [fmt]
    show_charts = cfg.charts and any(f in CHART_FORMATS for f in formats)
    prepared = prepare(settlement, cfg)
    notes = prepared.findings
    annex = list(findings) + notes if findings is not None else None
    built = build(settlement, cfg, findings=annex, charts=show_charts, prepared=prepared)
    written = [
        target / f"{report_stem(settlement)}{FORMATS[f][1]}" if fmt == "all" else target for f in formats
    ]
    if show_charts:  # draw the charts that are not cached yet on both cores
        from gyeolsan.report.charts import prefetch

        needed = [
            x for x, fs in (("svg", ("html", "pdf")), ("png", ("docx", "hwpx"))) if set(fs) & set(formats)
        ]
        prefetch(built.document.figures(), needed)
    # two cores: about half of the writers in a forked process beside the others
    write_all(built.document, list(zip(formats, written, strict=True)), settlement, cfg, parallel=True)
    return written, notes


@app.command("chart")
def chart(
    src: Annotated[Path, typer.Argument(help="보고서 텍스트 또는 표준 JSON / report text or canonical JSON")],
    out: Annotated[
        Path, typer.Option("-o", "--output", help="그래프를 쓸 폴더 / folder for the charts")
    ] = Path("charts"),
    config: Annotated[
        Path | None, typer.Option("--config", help="보고서 설정 report.toml / report settings")
    ] = None,
) -> None:
    """그래프: 부서별 집행률, 예산 구성, 사업별 증감, 세입 (PNG 200dpi + SVG) / Write the charts."""
    cfg = _config(config)
    result = load_input(src)
    from gyeolsan.report.charts import write_charts
    from gyeolsan.report.prepare import prepare

    paths = write_charts(prepare(result.settlement, cfg).settlement, out, cfg)
    if not paths:
        eprint("그릴 자료가 없습니다 / nothing to chart")
    for path in paths:
        eprint(f"저장했습니다 / written: {path}")
