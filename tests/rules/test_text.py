"""TEXT rules: program names printed differently, quoted names, the misspelling dictionary, brackets."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest
from tests.rules._helpers import (
    audit,
    bullet,
    card,
    rule_findings,
    settlement,
    src,
)

from gyeolsan.io.load import load_any
from gyeolsan.model import BudgetLine, BudgetTable, CardGroup, ChangeLine, ChangeTable
from gyeolsan.rules.text import misspellings, name_key, passages, quoted_names, unbalanced_brackets


def _tables(settle_names: dict[int, str], next_names: dict[int, str]) -> dict[str, object]:
    settle = BudgetTable(
        key="settlement",
        title="'18년 결산",
        lines=tuple(BudgetLine(kind="unit", name=n, src=src(ln, n)) for ln, n in settle_names.items()),
    )
    nxt = ChangeTable(
        title="'19년 예산",
        year=2019,
        previous_year=2018,
        lines=tuple(ChangeLine(kind="unit", name=n, src=src(ln, n)) for ln, n in next_names.items()),
    )
    return {"settlement": settle, "next_year": nxt}


# ----------------------------------------------------------------------------- TEXT001


def test_name_key_ignores_spaces_and_quotes():
    assert name_key("120 다산콜재단 운영") == name_key("120다산콜재단 운영")
    assert name_key("시정종합 월간지 '서울사랑' 발간") == name_key("시정종합 월간지 「서울사랑」 발간")
    assert name_key("시정 영상물 제작ㆍ관리") == name_key("시정 영상물 제작·관리")
    assert name_key("소통관리") != name_key("소통 관리 및")


def test_program_name_variant_in_next_year_table():
    s = settlement(**_tables({162: "120다산콜재단 운영"}, {221: "120 다산콜재단 운영"}))
    [f] = rule_findings(s, "TEXT001")
    assert (f.location.line, f.stated, f.expected) == (221, "120 다산콜재단 운영", "120다산콜재단 운영")
    assert [r.line for r in f.related] == [162]
    assert f.severity.value == "info"


def test_program_name_quotes_differ():
    s = settlement(
        **_tables({145: "시정종합 월간지 「서울사랑」 발간"}, {203: "시정종합 월간지 '서울사랑' 발간"})
    )
    [f] = rule_findings(s, "TEXT001")
    assert f.location.line == 203 and f.expected == "시정종합 월간지 「서울사랑」 발간"


def test_card_heading_spacing_differs_from_table():
    s = settlement(
        cards=(
            card(
                title="행정서비스 밀착지원 및 정보제공",
                line=850,
                heading="## 행정서비스 밀착 지원 및 정보제공",
            ),
        ),
        **_tables({169: "행정서비스 밀착지원 및 정보제공"}, {}),
    )
    [f] = rule_findings(s, "TEXT001")
    assert f.location.line == 850 and f.stated == "행정서비스 밀착 지원 및 정보제공"


def test_card_list_titles_are_compared_when_their_lines_are_known():
    """The importer does not record the lines of the ①② list yet; the rule uses them when it does."""
    group = CardGroup(
        number=2, title="뉴미디어", card_titles=("시민참여 프로그램을 통한 시정공감대 확산",), src=src(433)
    )
    object.__setattr__(group, "title_srcs", (src(438, "- ④ 시민참여 프로그램을 통한 시정공감대 확산"),))
    s = settlement(card_groups=(group,), **_tables({142: "시민참여 프로그램을 통한 시정 공감대 확산"}, {}))
    [f] = rule_findings(s, "TEXT001")
    assert f.location.line == 438 and f.expected == "시민참여 프로그램을 통한 시정 공감대 확산"


def test_same_names_and_other_names_are_silent():
    s = settlement(
        cards=(card(title="「시민청」 운영 내실화 및 확산", line=323),),
        **_tables({131: "시민청 운영 및 확산", 162: "120다산콜재단 운영"}, {187: "시민청 운영 및 확산"}),
    )
    assert rule_findings(s, "TEXT001") == []


def test_division_names_spaced_out_are_a_layout_convention(sample_path):
    names = {f.stated for f in rule_findings(load_any(sample_path).settlement, "TEXT001")}
    assert not any("담당관" in (n or "") for n in names)


# ----------------------------------------------------------------------------- TEXT002


def test_quoted_names_found():
    text = "소셜 방송 '라이브서울'과 「내 손안에 서울」, '18년 10팀 → '19년 30팀"
    assert list(quoted_names(text)) == ["라이브서울", "내 손안에 서울"]


def test_quoted_name_minority_spacing_is_reported():
    s = settlement(
        cards=(
            card(
                bullet(495, "내 용 : '라이브서울'(온라인 방송) 및 '내손안에 서울'(뉴스) 운영"),
                bullet(501, "「라이브 서울」 운영"),
                bullet(509, "「내 손안에 서울」 운영"),
                bullet(522, "'내 손안에 서울'을 중심으로 통합"),
                bullet(523, "'라이브서울' 확대"),
            ),
        )
    )
    found = {(f.location.line, f.stated, f.expected) for f in rule_findings(s, "TEXT002")}
    assert found == {(495, "내손안에 서울", "내 손안에 서울"), (501, "라이브 서울", "라이브서울")}


def test_quoted_name_tie_is_silent():
    s = settlement(cards=(card(bullet(342, "「삼각산시민청」 개관"), bullet(350, "‘삼각산 시민청’ 운영")),))
    assert rule_findings(s, "TEXT002") == []


# ----------------------------------------------------------------------------- TEXT003


def _entries() -> list[dict]:  # type: ignore[type-arg]
    raw = resources.files("gyeolsan.rules").joinpath("data/misspellings.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)["entry"]


def test_dictionary_entries_are_justified_and_distinct():
    entries = _entries()
    assert len(entries) == len(misspellings()) >= 40
    assert len({(e["wrong"], e.get("before", ""), e.get("after", "")) for e in entries}) == len(entries)
    for e in entries:
        assert e["why"].strip() and e["wrong"] != e["right"], e


@pytest.mark.parametrize("entry", misspellings(), ids=lambda e: e.wrong)
def test_each_entry_finds_its_typo_and_not_the_correct_form(entry):
    example = {
        "조치": "참여 캠페인 조치 70만회 / 참여 3,042건",
        "대향": "옥외 대향 현수막 상설 설치",
        "집행을": "사전검토 철저로 집행을 제고에 만전을",
        "재고": "집행률 재고를 위하여",
        "결제": "부서장 결제를 받아 시행",
        "결재": "제로페이 결재 가맹점 확대",
    }.get(entry.wrong, f"시험 {entry.wrong} 문장")
    found = list(entry.find(example))
    assert found, example
    stated, expected = found[0]
    assert entry.wrong in stated and entry.right in expected
    at = example.index(stated)
    assert at == 0 or example[at - 1] in " 「'(", f"{stated!r} starts inside a word"
    fixed = example.replace(stated, expected)
    assert list(entry.find(fixed)) == [], fixed


@pytest.mark.parametrize(
    "text",
    [
        "시정조치 3회 실시",  # 조치 with a small count: measures, not views
        "전자결제 시스템 도입",  # e-payment is 결제
        "결재를 받아 시행",
        "카카오스토리 채널 운영",
        "집행률 제고에 만전",
        "징수율 98.5%, 집행률 96.7%, 증감률 3.45%",
        "있습니다",
        "물품 재고 관리",
    ],
)
def test_correct_text_is_silent(text):
    s = settlement(cards=(card(bullet(10, text)),))
    assert rule_findings(s, "TEXT003") == []


def test_misspelling_finding_carries_context_and_witness():
    s = settlement(
        cards=(card(bullet(310, "「서울꿈게시판」 시민문안 공모(4회)"), bullet(672, "문안 ‘꿈새김판’ 게시")),)
    )
    [f] = rule_findings(s, "TEXT003")
    assert (f.location.line, f.stated, f.expected) == (310, "서울꿈게시판", "서울꿈새김판")
    assert [r.line for r in f.related] == [672]


def test_misspellings_in_audit_action():
    s = settlement(
        audits=(audit(913, "제2시민청", ["권고함"], ["옥외 대향 현수막 상설 설치, 집행을 제고에 만전"]),)
    )
    found = {(f.stated, f.expected) for f in rule_findings(s, "TEXT003")}
    assert found == {("대향 현수막", "대형 현수막"), ("집행을 제고에", "집행률 제고에")}


# ----------------------------------------------------------------------------- TEXT004


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "서울특별시의회 기본 조례」 제55조의3의 규정에 따르면",
            [("서울특별시의회 기본 조례」", "「서울특별시의회 기본 조례」")],
        ),
        ("「지방재정법 제50조에 따라", [("「지방재정법 제50조에 따라", "「지방재정법 제50조에 따라」")]),
        ("「서울시 홍보대사」 운영, 『서울사랑』", []),
    ],
)
def test_unbalanced_brackets(text, expected):
    assert list(unbalanced_brackets(text)) == expected


def test_bracket_rule_locates_the_audit_row():
    s = settlement(
        audits=(audit(910, "예산 전용 의회 보고 미이행", ["서울특별시의회 기본 조례」 제55조의3"], []),)
    )
    [f] = rule_findings(s, "TEXT004")
    assert f.location.line == 910 and f.expected == "「서울특별시의회 기본 조례」"


def test_passages_cover_every_part_of_the_sample(sample_path):
    s = load_any(sample_path).settlement
    lines = {p.src.line for p in passages(s) if p.src}
    for line in (78 - 2, 264, 330, 452, 465, 910, 913, 941, 973, 994):  # team, goal, table, bullets, III, IV
        assert line in lines, line
    assert all(p.text.strip() for p in passages(s))
    assert not any(re.fullmatch(r"\s*", p.text) for p in passages(s))
