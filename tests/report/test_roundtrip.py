"""Markdown round trip: import(report_md(x)) == recompute(x), apart from ``src`` (and figures' tags).

The generated text prints computed values, so the comparison is with the *recomputed* model; the
values the sample states wrongly (554억 heading, 96.3 rates, card lines, 47,025,373, "5건" …) come
back corrected. One importer gap is listed explicitly (see IMPORTER_GAPS).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.paths import FIXTURES

from gyeolsan.io import load_any
from gyeolsan.io.report_text import import_report_text
from gyeolsan.model import Settlement
from gyeolsan.report import markdown
from gyeolsan.report.document import build_document
from gyeolsan.report.prepare import recompute

IGNORED = {"src", "title_srcs", "figures", "source_path"}
# Printed by the writer but not read back by the importer (reported to the lead; see docs/reports.md):
# "【예산 집행잔액】 ..... 1,184,378천원" has no "N건", and the importer only reads an amount after a count.
IMPORTER_GAPS = {"expenditure.summaries[집행잔액].amount"}


def plain(s: Settlement) -> dict[str, Any]:
    def strip(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in IGNORED}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    return strip(s.model_dump(mode="json", exclude_defaults=True))


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    if type(a) is not type(b):
        return [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            label = f"{path}.{k}" if path else k
            if k not in a or k not in b:
                out.append(f"{label}: {'missing' if k not in b else 'extra'}")
            else:
                out += differences(a[k], b[k], label)
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"]
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            name = x.get("kind") if isinstance(x, dict) and path.endswith("summaries") else i
            out += differences(x, y, f"{path}[{name}]")
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def round_trip(s: Settlement, tmp_path: Path) -> Settlement:
    text = markdown.render(build_document(s, charts=False))
    target = tmp_path / "report.md"
    target.write_text(text, encoding="utf-8")
    result = import_report_text(target)
    assert not result.fatal, [f.message for f in result.fatal]
    return result.settlement


def assert_same(expected: Settlement, actual: Settlement) -> None:
    diffs = differences(plain(expected), plain(actual))
    unexpected = [d for d in diffs if d.split(":")[0] not in IMPORTER_GAPS]
    assert not unexpected, "\n".join(unexpected)


def test_sample_round_trip(sample: Settlement, tmp_path: Path) -> None:
    back = round_trip(sample, tmp_path)
    assert_same(recompute(sample), back)


def test_sample_round_trip_corrects_the_stated_mistakes(sample: Settlement, tmp_path: Path) -> None:
    back = round_trip(sample, tmp_path)
    assert back.next_year.headline.text.endswith("544억 38백만원")  # stated 554억
    rates = {d.name: d.rate for d in back.settlement.divisions}
    assert str(rates["뉴미디어담당관"]) == "96.2"  # stated 96.3 (double rounding)
    card = {c.title: c.settlement for c in back.cards}
    assert (card["뉴미디어 웹사이트 운영 강화"].spent, str(card["응답소 시스템 기능 개선"].rate)) == (
        1604,
        "94.9",
    )
    assert (
        card["민원서비스 품질관리를 통한 대민서비스 질 향상"].spent,
        str(card["민원서비스 품질관리를 통한 대민서비스 질 향상"].rate),
    ) == (55, "86.1")
    assert "47,025,374천원" in back.expenditure.headline.text  # stated 47,025,373
    assert next(s for s in back.expenditure.summaries if s.kind == "이체").count == 2  # stated 5건
    assert "총 2건" in " ".join(h.text for h in back.expenditure.narrative)


def test_second_round_trip_is_a_fixpoint(sample: Settlement, tmp_path: Path) -> None:
    once = round_trip(sample, tmp_path)
    (tmp_path / "b").mkdir()
    twice = round_trip(once, tmp_path / "b")
    assert_same(once, twice)
    assert differences(plain(recompute(once)), plain(once)) == [
        d for d in differences(plain(recompute(once)), plain(once)) if d.split(":")[0] in IMPORTER_GAPS
    ]


@pytest.mark.parametrize(
    "name",
    [
        "clean_culture_2021.txt",
        "clean_mobility_2019_carryover.txt",
        "missing_section_welfare_2020.txt",
        "errors_small_2020.txt",
        "malformed_cp949.txt",
    ],
)
def test_fixture_round_trip(name: str, tmp_path: Path) -> None:
    original = load_any(FIXTURES / name).settlement
    assert_same(recompute(original), round_trip(original, tmp_path))


def test_round_trip_output_has_no_import_findings(sample: Settlement, tmp_path: Path) -> None:
    text = markdown.render(build_document(sample, charts=False))
    target = tmp_path / "report.md"
    target.write_text(text, encoding="utf-8")
    result = import_report_text(target)
    assert [f"{f.rule} {f.location.line}: {f.message}" for f in result.findings] == []
