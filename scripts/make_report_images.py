"""Re-make the report pictures under docs/images from the sample: PDF pages (Typst, and one page
through WeasyPrint for comparison) and the four charts.

    uv run --frozen python scripts/make_report_images.py

Pages are found by what is printed on them, not by number, so the pictures stay right when the
layout moves. Needs poppler-utils (pdftoppm, pdftotext).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
SAMPLE = ROOT.parent / "shared" / "seeds" / "000_1b1d515c849dd1d6.txt"

# picture name → text that is on the page to show (the first page that has it)
PAGES = {
    "report-cover": None,  # page 1
    "report-settlement": "부서/사업명",
    "report-charts": "부서별 집행률 (집행액",
    "report-card": "결산 : 예산현액",
    "report-accounts": "징수결정액",
    "report-adjustments": "【예산 집행잔액】",
}


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")


def render_page(pdf: Path, page: int, name: str, dpi: int = 80) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
        )
        (IMAGES / f"{name}.png").write_bytes(stem.with_suffix(".png").read_bytes())
    print(f"docs/images/{name}.png  (page {page})")


def main() -> None:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1560729600")
    os.environ["GYEOLSAN_CHART_CACHE"] = "off"
    from gyeolsan.io import load_any
    from gyeolsan.report import write_document
    from gyeolsan.report.build import build
    from gyeolsan.report.charts import write_charts
    from gyeolsan.report.config import DEFAULT

    if not SAMPLE.exists():
        sys.exit(f"sample not found: {SAMPLE}")
    settlement = load_any(SAMPLE, "seeds/000_1b1d515c849dd1d6.txt").settlement
    built = build(settlement, charts=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        write_document(built.document, "pdf", pdf, settlement)
        texts = page_texts(pdf)
        for name, marker in PAGES.items():
            page = 1 if marker is None else next(n for n, t in enumerate(texts, 1) if marker in t)
            render_page(pdf, page, name)
        weasy = Path(tmp) / "weasy.pdf"
        write_document(built.document, "pdf", weasy, settlement, replace(DEFAULT, pdf_engine="weasyprint"))
        page = next(n for n, t in enumerate(page_texts(weasy), 1) if PAGES["report-settlement"] in t)
        render_page(weasy, page, "report-weasyprint-settlement")
        charts = Path(tmp) / "charts"
        charts.mkdir()
        for path in write_charts(built.prepared.settlement, charts, figures=built.document.figures()):
            if path.suffix == ".png":
                (IMAGES / path.name).write_bytes(path.read_bytes())
                print(f"docs/images/{path.name}")


if __name__ == "__main__":
    main()
