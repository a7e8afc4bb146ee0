"""`gyeolsan check` and `gyeolsan rules` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from tests.paths import FINDINGS_SCHEMA, FIXTURES, ROOT
from typer.testing import CliRunner

from gyeolsan.cli import app

runner = CliRunner()
ERRORS = str(FIXTURES / "errors_small_2020.txt")
CLEAN = str(FIXTURES / "clean_culture_2021.txt")


def check(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["check", *args])


def test_exit_codes() -> None:
    assert check(CLEAN).exit_code == 0
    assert check(ERRORS).exit_code == 1
    for name in ("empty.txt", "malformed_binary.txt", "malformed_nonnumeric.txt", "missing.txt"):
        result = check(str(FIXTURES / name))
        assert result.exit_code == 2, (name, result.output)
        assert "Traceback" not in result.output


def test_json_is_the_findings_report(tmp_path: Path) -> None:
    result = check(ERRORS, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    jsonschema.validate(data, json.loads(FINDINGS_SCHEMA.read_text(encoding="utf-8")))
    assert data["format"] == "gyeolsan.findings/1" and data["source"] == ERRORS
    assert data["summary"]["error"] == 5 and data["summary"]["rules_run"] > 30
    lines = sorted(f["location"]["line"] for f in data["findings"] if f["severity"] == "error")
    assert lines == [41, 51, 52, 66, 103]


def test_import_findings_are_included() -> None:
    data = json.loads(check(str(FIXTURES / "malformed_cp949.txt"), "-f", "json").stdout)
    assert any(f["rule"].startswith("IMP") for f in data["findings"])


def test_text_is_korean_grouped_and_located() -> None:
    out = check(ERRORS).stdout
    assert "오류 5건" in out and "■ I. 일반현황" in out and "■ II. 주요사업 추진실적" in out
    assert "51행" in out and "SUM001" in out and "기재 452925" in out and "계산 452918" in out
    assert out.index("■ I. 일반현황") < out.index("■ II. 주요사업 추진실적")
    assert "\x1b[" not in out  # no colour codes when not writing to a terminal


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    result = check(ERRORS, "-f", "json", "-o", str(target))
    assert result.exit_code == 1 and json.loads(target.read_text(encoding="utf-8"))["summary"]["error"] == 5
    broken = tmp_path / "broken.json"
    assert check(str(FIXTURES / "empty.txt"), "-f", "json", "-o", str(broken)).exit_code == 2
    assert not broken.exists() and not list(tmp_path.glob(".broken*"))


def test_config_silences_with_reasons(tmp_path: Path) -> None:
    config = tmp_path / "rules.toml"
    config.write_text(
        '[rules]\nrounding_tolerance = 2\n\n[silence]\nRATE001 = "집행률은 원 단위 자료로 따로 확인함"\n'
        'ROUND004 = "제목 금액은 억원 절사 관행"\n',
        encoding="utf-8",
    )
    result = check(ERRORS, "--config", str(config))
    assert result.exit_code == 1  # SUM001, RATE002, ROUND003 remain
    assert "RATE001  집행률은 원 단위 자료로 따로 확인함" in result.stdout and "끈 규칙" in result.stdout
    assert "52행" not in result.stdout
    data = json.loads(check(ERRORS, "--config", str(config), "-f", "json").stdout)
    assert data["summary"]["error"] == 3
    assert not [f for f in data["findings"] if f["rule"] in ("RATE001", "ROUND004")]
    page = check(ERRORS, "--config", str(config), "-f", "html").stdout
    assert "제목 금액은 억원 절사 관행" in page


@pytest.mark.parametrize(
    "content",
    [
        '[silence]\nRATE001 = ""\n',  # a silenced rule needs a reason
        '[rules]\nrounding_tolerance = "two"\n',
        "[rules]\nno_such_setting = 1\n",
        "[rules\n",
    ],
)
def test_bad_config_exits_2(tmp_path: Path, content: str) -> None:
    config = tmp_path / "rules.toml"
    config.write_text(content, encoding="utf-8")
    out = tmp_path / "out.json"
    result = check(ERRORS, "--config", str(config), "-o", str(out))
    assert result.exit_code == 2 and "설정 파일 오류" in result.output and not out.exists()
    assert check(ERRORS, "--config", str(tmp_path / "none.toml")).exit_code == 2


def test_html_page_shows_lines_and_escapes(sample_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "check.html"
    result = check(str(sample_path), "-f", "html", "-o", str(target))
    assert result.exit_code == 1
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ko">' in page and "NanumGothic" in page
    assert "&lt;b&gt;합 계&lt;/b&gt;" in page and "<b>합 계</b>" not in page  # the document's tags are text
    assert 'id="L174"' in page and "554억 38백만원" in page
    row = page[page.index('id="L174"') : page.index('id="L175"')]
    assert "row-error" in row and "ROUND004" in row
    assert "<script" not in page


def test_html_for_canonical_json_lists_findings(tmp_path: Path) -> None:
    js = tmp_path / "errors.json"
    assert runner.invoke(app, ["import", ERRORS, "-o", str(js)]).exit_code == 0
    page = check(str(js), "-f", "html").stdout
    assert "위치가 없는 항목" in page or "SUM001" in page
    assert check(str(js)).exit_code == 1


def test_against_export_adds_xsrc_findings(sample_path: Path, tmp_path: Path) -> None:
    """`--against` checks the report against the e호조 export it summarises (rounding notes, 이체 count)."""
    export = str(ROOT / "tests" / "fixtures" / "sheets" / "ehojo_sotong_2018.xlsx")
    plain = json.loads(check(str(sample_path), "-f", "json").stdout)
    result = check(str(sample_path), "-f", "json", "--against", export)
    assert result.exit_code == 1  # the sample's own errors; XSRC adds notes and a warning only
    data = json.loads(result.stdout)
    jsonschema.validate(data, json.loads(FINDINGS_SCHEMA.read_text(encoding="utf-8")))
    xsrc = [f for f in data["findings"] if f["rule"].startswith("XSRC")]
    assert {f["rule"] for f in xsrc} == {"XSRC002", "XSRC020"}
    assert len(data["findings"]) == len(plain["findings"]) + len(xsrc)
    (transfers,) = [f for f in xsrc if f["rule"] == "XSRC020"]
    assert transfers["location"]["line"] == 979 and transfers["related"][0]["sheet"] == "예산변경내역"
    assert "XSRC020" in check(str(sample_path), "--against", export).stdout
    assert check(str(sample_path), "--against", str(tmp_path / "missing.xlsx")).exit_code == 2


def test_rules_command_lists_and_renders_markdown() -> None:
    listing = runner.invoke(app, ["rules"]).stdout
    assert "SUM001" in listing and "XREF009" in listing
    md = runner.invoke(app, ["rules", "--markdown"]).stdout
    assert md.startswith("<!--") and "### SUM001" in md


def test_real_process_and_fast_start() -> None:
    """The installed command, and no heavy import when the CLI module is loaded."""
    out = subprocess.run(
        [sys.executable, "-m", "gyeolsan", "check", ERRORS, "-f", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1 and json.loads(out.stdout)["summary"]["error"] == 5
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, gyeolsan.cli.check; "
            "print(sorted(m for m in ('duckdb', 'rich.console', 'gyeolsan.rules', 'openpyxl') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert "duckdb" not in probe.stdout and "gyeolsan.rules" not in probe.stdout
