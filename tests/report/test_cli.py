"""`gyeolsan report` and `gyeolsan chart` as a user runs them: outputs, exit codes, atomic writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.paths import FIXTURES, SAMPLE


def gyeolsan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gyeolsan", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


@pytest.fixture(scope="module")
def sample_path() -> Path:
    if not SAMPLE.exists():
        pytest.skip("sample not available")
    return SAMPLE


def test_markdown_report(sample_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.md"
    out = gyeolsan("report", str(sample_path), "-f", "md", "-o", str(target))
    assert out.returncode == 0, out.stderr
    text = target.read_text(encoding="utf-8")
    assert "**'19년 예산 세출예산 544억 38백만원**" in text
    assert "REF002" in out.stderr and "554억 38백만원" in out.stderr  # the corrected statement is reported
    assert "written" in out.stderr and sorted(p.name for p in target.parent.iterdir()) == ["report.md"]


def test_html_report_with_findings_annex(sample_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    out = gyeolsan(
        "report", str(sample_path), "--format", "html", "-o", str(target), "--with-findings", "--no-charts"
    )
    assert out.returncode == 0, out.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "부록. 검증 결과" in text and 'id="findings"' in text


@pytest.mark.parametrize("name", ["empty.txt", "malformed_binary.txt", "malformed_nonnumeric.txt"])
def test_unreadable_input_exits_2_and_writes_nothing(name: str, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("previous good state", encoding="utf-8")
    out = gyeolsan("report", str(FIXTURES / name), "-f", "md", "-o", str(target))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and name in out.stderr
    assert "입력을 읽을 수 없습니다" in out.stderr
    assert target.read_text(encoding="utf-8") == "previous good state"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_missing_file_exits_2(tmp_path: Path) -> None:
    out = gyeolsan("report", str(tmp_path / "nope.txt"), "-f", "md", "-o", str(tmp_path / "x.md"))
    assert out.returncode == 2 and "nope.txt" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "x.md").exists()


def test_unknown_format_and_bad_config(sample_path: Path, tmp_path: Path) -> None:
    out = gyeolsan("report", str(sample_path), "-f", "odt", "-o", str(tmp_path / "x.odt"))
    assert out.returncode == 2 and "odt" in out.stderr and "Traceback" not in out.stderr
    config = tmp_path / "report.toml"
    config.write_text('new_item_rate = "50"\n', encoding="utf-8")
    out = gyeolsan(
        "report", str(sample_path), "-f", "md", "--config", str(config), "-o", str(tmp_path / "x.md")
    )
    assert out.returncode == 2 and "new_item_rate" in out.stderr and "Traceback" not in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.toml"]


def test_config_changes_the_output(sample_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "report.toml"
    config.write_text('[report]\nnew_item_rate = "순증"\n', encoding="utf-8")
    target = tmp_path / "r.md"
    out = gyeolsan("report", str(sample_path), "-f", "md", "--config", str(config), "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert "서울시 해외 홍보마케팅\t-\t3,500,000\t3,500,000\t순증" in target.read_text(encoding="utf-8")


def test_pdf_engine_option(sample_path: Path, tmp_path: Path) -> None:
    out = gyeolsan(
        "report", str(sample_path), "-f", "pdf", "--pdf-engine", "latex", "-o", str(tmp_path / "x.pdf")
    )
    assert out.returncode == 2 and "latex" in out.stderr and "Traceback" not in out.stderr
    config = tmp_path / "report.toml"
    config.write_text('pdf_engine = "prince"\n', encoding="utf-8")
    out = gyeolsan(
        "report", str(sample_path), "-f", "pdf", "--config", str(config), "-o", str(tmp_path / "x.pdf")
    )
    assert out.returncode == 2 and "pdf_engine" in out.stderr and "Traceback" not in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.toml"]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_pdf_with_either_engine(sample_path: Path, tmp_path: Path, engine: str) -> None:
    target = tmp_path / f"{engine}.pdf"
    out = gyeolsan(
        "report", str(sample_path), "-f", "pdf", "--pdf-engine", engine, "--no-charts", "-o", str(target)
    )
    assert out.returncode == 0, out.stderr
    data = target.read_bytes()
    assert data[:5] == b"%PDF-" and (b"Typst" in data) == (engine == "typst")


@pytest.mark.slow
def test_all_formats_into_a_folder(sample_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "all"
    out = gyeolsan("report", str(sample_path), "-f", "all", "-o", str(folder), "--no-charts")
    assert out.returncode == 0, out.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert {"000_1b1d515c849dd1d6.md", "000_1b1d515c849dd1d6.html", "000_1b1d515c849dd1d6.pdf"} <= set(names)
    assert all(not n.startswith(".") for n in names)  # no temp files left
    assert (folder / "000_1b1d515c849dd1d6.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.slow
def test_chart_command(sample_path: Path, tmp_path: Path) -> None:
    out = gyeolsan("chart", str(sample_path), "-o", str(tmp_path / "charts"))
    assert out.returncode == 0, out.stderr
    names = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert names == sorted(
        f"chart-{i}.{e}" for i in ("rate", "composition", "change", "revenue") for e in ("png", "svg")
    )


def test_cli_start_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys, gyeolsan.cli, gyeolsan.cli.report; "
        "heavy = [m for m in ('matplotlib', 'weasyprint', 'openpyxl', 'docx', 'hwpx', 'django', 'numpy') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_help_lists_the_commands() -> None:
    out = gyeolsan("report", "--help")
    assert out.returncode == 0 and "--with-findings" in out.stdout and "--config" in out.stdout
