"""Golden files of the sample's Markdown and HTML (without charts).

Regenerate after an intended change and review the diff:

    GYEOLSAN_UPDATE_GOLDEN=1 uv run --frozen pytest tests/report/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from tests.paths import FIXTURES

from gyeolsan.io import load_any
from gyeolsan.report import html, markdown
from gyeolsan.report.document import Document, build_document

from .conftest import GOLDEN

UPDATE = os.environ.get("GYEOLSAN_UPDATE_GOLDEN") == "1"


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; review and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            list(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), name, "generated"))[
                :80
            ]
        )
        pytest.fail(f"{name} differs from the golden file (GYEOLSAN_UPDATE_GOLDEN=1 to accept):\n{diff}")


def test_sample_markdown(document: Document) -> None:
    check("sample.md", markdown.render(document))


def test_sample_html(document: Document) -> None:
    check("sample.html", html.render(document))


def test_culture_markdown() -> None:
    s = load_any(FIXTURES / "clean_culture_2021.txt", "fixtures/clean_culture_2021.txt").settlement
    check("clean_culture_2021.md", markdown.render(build_document(s, charts=False)))


def test_golden_files_are_tracked() -> None:
    names = sorted(p.name for p in Path(GOLDEN).iterdir())
    assert names == ["clean_culture_2021.md", "sample.html", "sample.md"]
