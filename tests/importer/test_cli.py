"""The CLI as a user runs it: exit codes, messages, atomic output, start-up without heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.paths import FIXTURES, ROOT


def gyeolsan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gyeolsan", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_version() -> None:
    out = gyeolsan("--version")
    assert out.returncode == 0 and out.stdout.startswith("gyeolsan ")


def test_import_writes_canonical_json(tmp_path: Path) -> None:
    target = tmp_path / "out" / "culture.json"
    out = gyeolsan("import", str(FIXTURES / "clean_culture_2021.txt"), "-o", str(target))
    assert out.returncode == 0, out.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "gyeolsan/1" and data["meta"]["fiscal_year"] == 2021
    again = gyeolsan("import", str(target))
    assert again.returncode == 0 and json.loads(again.stdout) == data


@pytest.mark.parametrize(
    "name",
    [
        "empty.txt",
        "malformed_binary.txt",
        "malformed_truncated.txt",
        "malformed_missing_column.txt",
        "malformed_nonnumeric.txt",
    ],
)
def test_malformed_input_exits_2_and_writes_nothing(tmp_path: Path, name: str) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous good state", encoding="utf-8")
    out = gyeolsan("import", str(FIXTURES / name), "-o", str(target))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "입력을 읽을 수 없습니다" in out.stderr and "could not be read" in out.stderr
    assert name in out.stderr
    assert target.read_text(encoding="utf-8") == "previous good state"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temp file left behind


def test_located_message_names_the_line(tmp_path: Path) -> None:
    out = gyeolsan("import", str(FIXTURES / "malformed_nonnumeric.txt"))
    assert "malformed_nonnumeric.txt:49" in out.stderr
    assert out.stdout == ""


def test_missing_file_exits_2() -> None:
    out = gyeolsan("import", "/nonexistent/report.txt")
    assert out.returncode == 2 and "파일이 없습니다" in out.stderr


def test_show_prints_korean_tables() -> None:
    out = gyeolsan("show", str(FIXTURES / "clean_culture_2021.txt"))
    assert out.returncode == 0
    assert "예산현액" in out.stdout and "세입결산" in out.stdout


def test_datapackage_export(tmp_path: Path) -> None:
    out = gyeolsan(
        "import",
        str(FIXTURES / "clean_mobility_2019_carryover.txt"),
        "-o",
        str(tmp_path / "m.json"),
        "--datapackage",
        str(tmp_path / "dp"),
    )
    assert out.returncode == 0, out.stderr
    package = json.loads((tmp_path / "dp" / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert {"settlement", "revenue", "adjustments", "cards"} <= names
    for resource in package["resources"]:
        header = (tmp_path / "dp" / resource["path"]).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]]


def test_cli_start_up_imports_no_heavy_library() -> None:
    code = (
        "import sys, gyeolsan.cli; heavy = {'django', 'pydantic', 'openpyxl', 'weasyprint', 'matplotlib', 'duckdb'};"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_schema_doc_is_current() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from gen_schema import OUT, render
    finally:
        sys.path.pop(0)
    assert OUT.read_text(encoding="utf-8") == render(), "run: uv run --frozen python scripts/gen_schema.py"
