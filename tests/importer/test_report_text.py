"""The report-text importer on the real sample, the team's fixtures and broken files."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel
from tests.paths import FIXTURES

from gyeolsan.io import InputError
from gyeolsan.io.canonical import dumps, loads
from gyeolsan.io.report_text import import_report_text
from gyeolsan.model import Settlement, Severity
from gyeolsan.model.numbers import parse_amount, parse_rate

MANIFEST = tomllib.loads((FIXTURES / "manifest.toml").read_text(encoding="utf-8"))["files"]


@pytest.fixture(scope="module")
def sample(sample_path: Path) -> Settlement:
    result = import_report_text(sample_path)
    assert not result.fatal
    return result.settlement


def counts(s: Settlement) -> dict[str, int]:
    lines = s.settlement.all_lines() if s.settlement else []
    return {
        "divisions": len(s.settlement.divisions) if s.settlement else 0,
        "policy_programs": sum(1 for ln in lines if ln.kind == "policy"),
        "unit_programs": sum(1 for ln in lines if ln.kind == "unit"),
        "cards": len(s.cards),
        "card_groups": len(s.card_groups),
        "audit_items": len(s.audits),
        "revenue_lines": sum(len(r.walk()) for r in s.revenue.lines if r.kind != "total") if s.revenue else 0,
        "teams": sum(len(d.teams) for d in s.organization.divisions) if s.organization else 0,
    }


def test_sample_counts_match_the_document(sample: Settlement) -> None:
    assert counts(sample) == {
        "divisions": 5,
        "policy_programs": 5,
        "unit_programs": 30,
        "cards": 19,
        "card_groups": 5,
        "audit_items": 2,
        "revenue_lines": 4,
        "teams": 19,
    }
    assert sample.meta.fiscal_year == 2018
    assert sample.meta.office == "시민소통기획관"
    assert sample.staffing is not None and len(sample.staffing.rows) == 5
    assert sample.next_year is not None and len(sample.next_year.divisions) == 4
    assert [a.kind for a in sample.adjustments] == ["전용", "이체", "이체", "이월"]
    assert [x.kind for x in sample.expenditure.summaries] == [
        "이용",
        "전용",
        "변경사용",
        "이체",
        "이월",
        "집행잔액",
    ]
    assert sum(len(r.items) for r in sample.expenditure.unused_reasons) == 3
    assert len(sample.reorganizations) == 2


def _numbers_in_tables(path: Path) -> set[tuple[int, object]]:
    """(line, value) for every numeric cell of every tab-separated table row in the file."""
    out: set[tuple[int, object]] = set()
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if "\t" not in raw or "<p>" in raw:
            continue
        for cell in raw.split("\t")[1:]:
            text = re.sub(r"<[^>]+>", "", cell).strip()
            if not re.fullmatch(r"[△\-]?[\d,]+(\.\d+)?", text):
                continue
            value = parse_rate(text) if "." in text else parse_amount(text)
            out.add((no, value))
    return out


def _numbers_in_model(s: Settlement) -> set[tuple[int, object]]:
    out: set[tuple[int, object]] = set()

    def visit(obj: object) -> None:
        if isinstance(obj, BaseModel):
            src = getattr(obj, "src", None)
            for name in type(obj).model_fields:
                value = getattr(obj, name)
                if (
                    src is not None
                    and src.line
                    and isinstance(value, int | Decimal)
                    and not isinstance(value, bool)
                ):
                    out.add((src.line, value))
                visit(value)
        elif isinstance(obj, tuple | list):
            for item in obj:
                visit(item)

    visit(s)
    if s.staffing:
        for row in s.staffing.rows:
            for hc in (row.total, *row.by_series):
                out.update({(row.src.line, hc.quota), (row.src.line, hc.current)})
    return out


def test_every_table_figure_is_present_with_its_source_line(sample_path: Path, sample: Settlement) -> None:
    printed = _numbers_in_tables(sample_path)
    assert len(printed) > 350  # distinct (line, value) pairs; 397 in the sample
    missing = printed - _numbers_in_model(sample)
    assert not missing, sorted(missing)[:20]


def test_sample_rows_keep_the_printed_text(sample: Settlement) -> None:
    first = sample.settlement.lines[0]
    assert first.src.line == 123 and "47,810,398" in (first.src.text or "")
    assert first.budget == 47_810_398 and first.rate == Decimal("96.7")


def test_cards_are_linked_to_their_unit_programs(sample: Settlement) -> None:
    links = {(c.group, c.index): c.unit_programs for c in sample.cards}
    assert links[(1, 4)] == ("서울시청 방송운영", "시정 영상물 제작·관리")
    assert set(links[(1, 5)]) == {"희망서울 재능나눔", "현장소통 프로그램 운영", "서울특별시보 발행"}
    assert links[(4, 1)] == ("민원서비스 품질관리 및 시상",)
    assert set(links[(5, 2)]) == {"신속행정 현안조정 및 홍보", "신속행정 협력체계 강화"}
    assert all(links.values())
    card = next(c for c in sample.cards if (c.group, c.index) == (3, 2))
    assert card.settlement.note_amount == 413


def test_sentences_keep_their_figures(sample: Settlement) -> None:
    head = sample.settlement.headline
    assert head is not None
    assert head.figure("budget_current").value == Decimal(48_600_000_000)
    assert head.figure("rate").value == Decimal("96.7")
    exp = sample.expenditure.headline
    assert exp.figure("spent").value == Decimal(47_025_373_000)
    assert sample.next_year.headline.figure("total").text == "554억 38백만원"
    transfer = sample.adjustments[0]
    assert (transfer.from_item, transfer.to_item, transfer.amount) == ("사무관리비", "시설비", 53_660)
    assert transfer.date.month == 2 and transfer.reported_on.month == 11


@pytest.mark.parametrize(
    "name", sorted(n for n, m in MANIFEST.items() if m.get("clean") and n.endswith(".txt"))
)
def test_team_fixtures_import_with_the_documented_counts(name: str) -> None:
    expected = MANIFEST[name]
    result = import_report_text(FIXTURES / name)
    assert not result.fatal
    got = counts(result.settlement)
    for key, value in got.items():
        if key in expected:
            assert value == expected[key], key
    assert result.settlement.meta.fiscal_year == expected["fiscal_year"]


def test_missing_section_is_a_located_warning() -> None:
    result = import_report_text(FIXTURES / "missing_section_welfare_2020.txt")
    missing = [f for f in result.findings if f.rule == "IMP040"]
    assert [f.location.section for f in missing] == ["III. 시정권고사항 조치결과"]
    assert result.settlement.audits == () and result.settlement.next_year is None


def test_cp949_is_read_with_a_warning() -> None:
    result = import_report_text(FIXTURES / "malformed_cp949.txt")
    assert [f.rule for f in result.findings if f.severity is Severity.WARNING][:1] == ["IMP002"]
    assert result.settlement.meta.fiscal_year == 2020


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("malformed_truncated.txt", 106),
        ("malformed_missing_column.txt", 49),
        ("malformed_nonnumeric.txt", 49),
    ],
)
def test_malformed_tables_give_located_errors(name: str, line: int) -> None:
    result = import_report_text(FIXTURES / name)
    assert result.fatal
    assert result.fatal[0].location.line == line
    assert result.fatal[0].message and result.fatal[0].message_en


@pytest.mark.parametrize("name", ["empty.txt", "malformed_binary.txt"])
def test_unreadable_files_raise_input_error(name: str) -> None:
    with pytest.raises(InputError) as info:
        import_report_text(FIXTURES / name)
    assert info.value.findings[0].rule == "IMP001"


def test_not_a_report_raises(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("장보기 목록\n- 우유\n", encoding="utf-8")
    with pytest.raises(InputError):
        import_report_text(path)


def test_canonical_json_round_trip_is_lossless(sample: Settlement) -> None:
    text = dumps(sample)
    again = loads(text)
    assert again == sample
    assert dumps(again) == text
    assert text.startswith('{\n "format": "gyeolsan/1"')


@pytest.mark.parametrize("name", ["clean_culture_2021.txt", "clean_mobility_2019_carryover.txt"])
def test_fixture_round_trip(name: str) -> None:
    s = import_report_text(FIXTURES / name).settlement
    assert loads(dumps(s)) == s


def test_bad_canonical_json_is_located() -> None:
    with pytest.raises(InputError) as info:
        loads('{"format": "gyeolsan/1", "meta": {"title": 3}}', "x.json")
    assert info.value.findings[0].rule == "IMP006"
    with pytest.raises(InputError) as info:
        loads("{ nope", "x.json")
    assert info.value.findings[0].location.line == 1
    with pytest.raises(InputError):
        loads('{"format": "other/9"}', "x.json")
