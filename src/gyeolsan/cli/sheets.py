"""`gyeolsan template`, `gyeolsan compare` and the `gyeolsan opendata` group (spreadsheets and open data).

Heavy libraries (openpyxl, polars, duckdb) are imported inside the commands only.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gyeolsan.cli import app
from gyeolsan.cli.common import EXIT_INPUT, describe, eprint, fail_input, load_input, write_output

opendata = typer.Typer(
    name="opendata",
    help="공개 재정자료(지방재정365·지방재정연감)와 코드 목록 / open local-finance data and code lists",
    no_args_is_help=True,
)
app.add_typer(opendata, name="opendata")


class CompareFormat(StrEnum):
    text = "text"
    csv = "csv"
    xlsx = "xlsx"
    md = "md"


class Measure(StrEnum):
    budget = "budget"
    budget_current = "budget_current"
    spent = "spent"


class TemplateUnit(StrEnum):
    won = "원"
    cheonwon = "천원"


@app.command("template")
def template(
    out: Annotated[Path, typer.Option("-o", "--output", help="만들 엑셀 파일 / output .xlsx")] = Path(
        "결산_양식.xlsx"
    ),
    year: Annotated[
        int | None, typer.Option(help="회계연도 (코드 목록도 그 해 것으로) / fiscal year")
    ] = None,
    unit: Annotated[TemplateUnit, typer.Option(help="금액 단위 / money unit")] = TemplateUnit.cheonwon,
) -> None:
    """빈 입력 양식(엑셀)을 만듭니다: 작성요령, 머리 칸 설명, 목록 선택 / Write an empty, documented XLSX template."""
    from gyeolsan.cli.common import atomic_write
    from gyeolsan.io.sheets.template import write_template

    atomic_write(out, write_template(year, unit.value))
    eprint(f"양식을 만들었습니다 / template written: {out}")
    eprint(f"채운 뒤: gyeolsan import {out} -o 결산.json")


@app.command("compare")
def compare_cmd(
    old: Annotated[Path, typer.Argument(help="전년도 자료 (보고서·JSON·엑셀) / previous year")],
    new: Annotated[Path, typer.Argument(help="당해 자료 / current year")],
    mapping: Annotated[
        Path | None, typer.Option(help="조직개편 매핑 파일 (.toml/.csv) / reorganisation mapping")
    ] = None,
    fmt: Annotated[
        CompareFormat, typer.Option("--format", help="출력 형식 / output format")
    ] = CompareFormat.text,
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="출력 파일 (기본: 화면) / output file")
    ] = None,
    measure: Annotated[
        Measure, typer.Option(help="비교할 금액 (예산액·예산현액·지출액) / amount compared")
    ] = Measure.budget,
    new_item: Annotated[
        str,
        typer.Option("--new-item", help="신규 사업의 증감률 표기: 100 또는 순증 / rate shown for new items"),
    ] = "100",
) -> None:
    """전년 대비 표: 조직개편을 반영해 전년도 예산을 다시 분류하고 증감·증감률을 냅니다 / Year-on-year table."""
    from gyeolsan.io.errors import InputError
    from gyeolsan.io.sheets import compare as cmp
    from gyeolsan.io.sheets.mapping import load_mapping

    if fmt is CompareFormat.xlsx and out is None:
        eprint("xlsx 형식은 -o 파일이 필요합니다 / --format xlsx needs -o FILE")
        raise SystemExit(EXIT_INPUT)
    try:
        mp = load_mapping(mapping) if mapping is not None else None
    except InputError as exc:
        fail_input(exc.findings)
    old_s = load_input(old).settlement
    new_s = load_input(new).settlement
    result = cmp.compare(old_s, new_s, mp, measure=measure.value, new_item=new_item)
    errors = [f for f in result.findings if f.severity.value == "error"]
    for f in result.findings:
        eprint(describe(f))
    if errors:
        fail_input(errors)
    writers = {"text": cmp.to_text, "md": cmp.to_markdown, "csv": cmp.to_csv, "xlsx": cmp.to_xlsx}
    write_output(out, writers[fmt.value](result))
    if out is not None:
        eprint(f"저장했습니다 / written: {out}")


@opendata.command("import")
def opendata_import(
    src: Annotated[Path, typer.Argument(help="지방재정365 JSON/CSV, 연감 엑셀, e호조 엑셀 / open-data file")],
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="표준 JSON 출력 / canonical JSON output")
    ] = None,
    profile: Annotated[
        str | None, typer.Option(help="매핑 프로필 이름 또는 .toml / profile name or file")
    ] = None,
    depth: Annotated[str | None, typer.Option(help="결산표 깊이: policy|unit|detail|item")] = None,
) -> None:
    """공개자료를 표준 JSON으로 가져옵니다 (JSON 응답도 읽음) / Import open data (incl. API JSON)."""
    from gyeolsan.io.canonical import dumps
    from gyeolsan.io.errors import InputError
    from gyeolsan.io.spreadsheet import import_spreadsheet

    if not src.exists():
        eprint(f"파일이 없습니다 / file not found: {src}")
        raise SystemExit(EXIT_INPUT)
    try:
        result = import_spreadsheet(src, str(src), profile, depth=depth)
    except InputError as exc:
        fail_input(exc.findings)
    if result.fatal:
        fail_input(result.fatal)
    for f in result.findings:
        eprint(describe(f))
    write_output(out, dumps(result.settlement))
    if out is not None:
        eprint(f"저장했습니다 / written: {out}")


@opendata.command("duckdb")
def opendata_duckdb(
    src: Annotated[Path, typer.Argument(help="가져올 파일 / input file")],
    out: Annotated[Path, typer.Option("-o", "--output", help="DuckDB 파일 / database file")],
    profile: Annotated[str | None, typer.Option(help="매핑 프로필 / profile")] = None,
) -> None:
    """파일을 가져와 DuckDB 데이터베이스로 씁니다 (분석용) / Load a file into a DuckDB database."""
    import duckdb

    from gyeolsan.io.atomic import atomic_path
    from gyeolsan.io.errors import InputError
    from gyeolsan.io.sheets.duck import to_duckdb

    if not src.exists():
        eprint(f"파일이 없습니다 / file not found: {src}")
        raise SystemExit(EXIT_INPUT)
    try:
        with atomic_path(out, mode=None) as tmp:
            tmp.unlink()  # DuckDB creates the database file itself
            con = duckdb.connect(str(tmp))
            try:
                to_duckdb(src, con, profile=profile)
                tables = [
                    r[0]
                    for r in con.execute(
                        "SELECT table_name FROM information_schema.tables ORDER BY 1"
                    ).fetchall()
                ]
            finally:
                con.close()
    except InputError as exc:
        fail_input(exc.findings)
    eprint(f"저장했습니다 / written: {out} ({', '.join(tables)})")


@opendata.command("codes")
def opendata_codes(
    kind: Annotated[str, typer.Option(help="item(통계목) | function(분야·부문) | revenue(세입 목)")] = "item",
    year: Annotated[int | None, typer.Option(help="회계연도 / fiscal year")] = None,
) -> None:
    """그 해의 코드 목록을 보여줍니다 / Print the code list used for a fiscal year."""
    from gyeolsan.io.sheets import codes

    if kind not in codes.LEVELS:
        eprint("kind는 item, function, revenue 중 하나입니다")
        raise SystemExit(EXIT_INPUT)
    table, note = codes.list_for_year(kind, year)
    if table is None:
        eprint("코드 목록이 없습니다 / no code list")
        raise SystemExit(EXIT_INPUT)
    if note:
        eprint(note)
    lines = [f"# {codes.KIND_LABEL[kind][0]} 코드 목록 ({table.year}년, 출처: 지방재정연감)"]
    lines += [f"{e.level}\t{e.code}\t{e.name}" for e in table.entries.values()]
    write_output(None, "\n".join(lines) + "\n")


@opendata.command("profiles")
def opendata_profiles() -> None:
    """내장 매핑 프로필 목록 / List the built-in mapping profiles."""
    from gyeolsan.io.sheets.profiles import builtin_profiles

    for p in builtin_profiles():
        write_output(None, f"{p.name}\t{p.kind}\t{p.title}\n")
