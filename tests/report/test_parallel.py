"""`report -f all` on two cores: the writers split in two groups run in a forked process beside this
one, and the charts are drawn on both cores into the cache first.

The forking paths run in fresh interpreters (as the CLI does): a process that has run Typst must not
fork (its worker threads do not survive it), and this test session runs Typst elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tests.paths import SAMPLE

from gyeolsan.model import Settlement
from gyeolsan.report import FORMATS, can_fork, charts, split_jobs, write_all
from gyeolsan.report.build import build
from gyeolsan.report.config import DEFAULT, ReportConfig
from gyeolsan.report.document import Document, Paragraph

linux = pytest.mark.skipif(sys.platform != "linux", reason="forking is used on Linux only")


def jobs(folder: Path) -> list[tuple[str, Path]]:
    return [(fmt, folder / f"r{suffix}") for fmt, (_, suffix) in FORMATS.items()]


def python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    prelude = f"""
        import sys
        from pathlib import Path
        from gyeolsan.io import load_any
        from gyeolsan.report import FORMATS, can_fork, write_all
        from gyeolsan.report.build import build
        settlement = load_any(Path({str(SAMPLE)!r}), "seeds/000_1b1d515c849dd1d6.txt").settlement
        doc = build(settlement, charts=True).document
        out = Path({str(tmp_path)!r})
        jobs = [(f, out / ("r" + suffix)) for f, (_, suffix) in FORMATS.items()]
        assert can_fork()
    """
    script = textwrap.dedent(prelude) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env={**os.environ, **env}
    )


def test_split_balances_the_cost(tmp_path: Path) -> None:
    first, second = split_jobs(jobs(tmp_path))
    assert [f for f, _ in first] == ["hwpx"]  # the dearest writer alone …
    assert sorted(f for f, _ in second) == ["docx", "html", "md", "pdf", "xlsx"]  # … beside all others
    weasy = ReportConfig(pdf_engine="weasyprint")
    first, second = split_jobs(jobs(tmp_path), weasy)
    assert [f for f, _ in first] == ["pdf"]  # WeasyPrint takes longer than HWPX
    assert sorted(f for f, _ in first + second) == sorted(FORMATS)


@linux
def test_parallel_writes_what_sequential_writes(sample: Settlement, tmp_path: Path) -> None:
    out = python("write_all(doc, jobs, settlement, parallel=True)", tmp_path / "par")
    assert out.returncode == 0, out.stderr
    document = build(sample, charts=True).document
    write_all(document, jobs(tmp_path / "seq"), sample, DEFAULT, parallel=False)
    for _, path in jobs(tmp_path / "par"):
        assert path.stat().st_size > 1000, path.name
    for name in ("r.md", "r.html"):
        assert (tmp_path / "par" / name).read_bytes() == (tmp_path / "seq" / name).read_bytes()
    assert not [p for p in (tmp_path / "par").iterdir() if p.name.startswith(".")]  # no temp files left


@linux
def test_an_error_in_the_forked_process_is_raised_here(tmp_path: Path) -> None:
    code = """
        from gyeolsan.report import markdown, split_jobs
        assert "md" in [f for f, _ in split_jobs(jobs)[1]]  # written by the forked process
        def boom(*args, **kwargs):
            raise RuntimeError("boom in the writer")
        markdown.render = boom
        try:
            write_all(doc, jobs, settlement, parallel=True)
        except RuntimeError as exc:
            print("raised:", exc)
            sys.exit(0 if not (out / "r.md").exists() else 3)
        sys.exit(4)
    """
    out = python(code, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "raised: boom in the writer" in out.stdout


def test_no_fork_after_typst_ran() -> None:
    from gyeolsan.report import pdf_typst

    pdf_typst.render(Document(title="t", office=None, date=None, blocks=(Paragraph("본문"),)))
    assert not can_fork()


@linux
def test_prefetch_draws_every_chart_once(tmp_path: Path) -> None:
    code = """
        from gyeolsan.report import charts
        figures = doc.figures()
        assert len(figures) == 4
        charts.prefetch(figures, ["svg", "png"])
        for figure in figures:
            assert figure.renderer.cached("svg") and figure.renderer.cached("png"), figure.id
        def no_drawing(*args):
            raise AssertionError("drawn again")
        charts._draw = no_drawing
        assert all(f.svg and f.png for f in figures)
        assert "부서별 집행률" in figures[0].svg
        print("ok")
    """
    out = python(code, tmp_path, GYEOLSAN_CHART_CACHE=str(tmp_path / "cache"))
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr
    assert len(list((tmp_path / "cache").glob("*.svg"))) == 4


def test_prefetch_does_nothing_without_a_cache(
    sample: Settlement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GYEOLSAN_CHART_CACHE", "off")
    figures = build(sample, charts=True).document.figures()
    calls: list[str] = []
    monkeypatch.setattr(charts, "_draw", lambda chart, font: calls.append(chart.id))
    charts.prefetch(figures, ["svg"])
    assert calls == []  # each chart is drawn when first used instead
