"""`gyeolsan import` and `gyeolsan show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gyeolsan.cli.common import describe, eprint, load_input, write_output


def import_(
    src: Annotated[
        Path,
        typer.Argument(
            help="보고서 텍스트, 표준 JSON, 엑셀/CSV 또는 공개자료 JSON / report text, canonical JSON, "
            "spreadsheet or open-data JSON"
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="출력 파일 (기본: 표준출력) / output file")
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(help="엑셀/CSV/공개자료 매핑 프로필 (이름 또는 .toml) / spreadsheet mapping profile"),
    ] = None,
    depth: Annotated[
        str | None,
        typer.Option(help="엑셀/CSV 결산표 깊이 auto|division|policy|unit|detail|item / table depth"),
    ] = None,
    datapackage: Annotated[
        Path | None, typer.Option(help="Frictionless Data Package 폴더로도 내보내기")
    ] = None,
) -> None:
    """가져오기: 입력을 표준 JSON(gyeolsan/1)으로 변환합니다 / Import into canonical JSON."""
    from gyeolsan.io.canonical import dumps
    from gyeolsan.io.load import is_spreadsheet

    if (profile or depth) and src.exists() and not is_spreadsheet(src):
        eprint("--profile/--depth는 엑셀·CSV·공개자료 JSON에만 씁니다 / apply to spreadsheets only: ignored")
    result = load_input(src, profile=profile, depth=depth)
    for f in result.findings:
        eprint(describe(f))
    write_output(out, dumps(result.settlement))
    if datapackage is not None:
        from gyeolsan.io.datapackage import write_datapackage

        write_datapackage(result.settlement, datapackage)
    if out is not None:
        eprint(f"저장했습니다 / written: {out}")


def show(
    src: Annotated[Path, typer.Argument(help="보고서 텍스트 또는 표준 JSON / report text or canonical JSON")],
) -> None:
    """결산·세입 표를 터미널에 보여줍니다 / Show the settlement and revenue tables."""
    from gyeolsan.cli.tables import print_tables

    result = load_input(src, strict=False)
    print_tables(result.settlement)
