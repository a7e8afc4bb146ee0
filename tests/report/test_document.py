"""The document model of the sample: sections in the sample's order, tables, cards, computed texts."""

from __future__ import annotations

from gyeolsan.model import Settlement
from gyeolsan.report.build import build
from gyeolsan.report.config import ReportConfig
from gyeolsan.report.document import Document, Heading, PageBreak, Paragraph, Table


def texts(doc: Document, style: str | None = None) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph) and (style is None or b.style == style)]


def test_sections_in_order(document: Document) -> None:
    chapters = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    assert chapters == [
        "Ⅰ. 일반현황",
        "Ⅱ. 2018년 주요사업 추진실적",
        "Ⅲ. 2018 결산검사 시정권고사항 조치결과",
        "Ⅳ. 2018 회계연도 세입·세출 결산 현황",
    ]
    assert [t.id for t in document.tables()][:5] == [
        "staffing",
        "functions",
        "settlement",
        "next_year",
        "card-1-3-1",
    ]
    assert [t.id for t in document.tables()][-3:] == ["audits", "revenue", "expenditure"]
    assert sum(isinstance(b, PageBreak) for b in document.blocks) == 3
    assert (document.title, document.office, document.date) == (
        "2018 회계연도 세입 · 세출 결산 업무보고",
        "시민소통기획관",
        "2019. 6. 17.",
    )
    assert document.meta["source"] == "seeds/000_1b1d515c849dd1d6.txt" and document.meta[
        "generator"
    ].startswith("gyeolsan ")


def test_headlines_are_computed(document: Document) -> None:
    lead = texts(document, "lead")
    assert "'18년 결산 세출예산 현액 486억원, 이중 470억원 집행 (집행률 96.7%)" in lead
    assert "'19년 예산 세출예산 544억 38백만원" in lead  # the sample states 554억
    assert "조 직  1관 4담당관, 19팀" in lead and "인 력  130명/124명 (정원/현원)" in lead
    assert "【예산 이체】 ..... 2건 1,281,089천원" in lead  # the sample states 5건
    assert "【예산 집행잔액】 ..... 1,184,378천원" in lead
    bullets = texts(document, "bullet")
    assert any("이 중 47,025,374천원, 예산현액 대비 96.7%를 집행" in t for t in bullets)
    assert "예산 집행잔액은 예산현액인 48,622,861천원의 2.4%인 1,184,378천원입니다." in bullets


def test_settlement_table(document: Document) -> None:
    t = document.table("settlement")
    assert (
        t is not None
        and t.unit == "천원"
        and t.columns == ("name", "budget", "budget_current", "spent", "rate")
    )
    bold = [r.cells[0].text for r in t.rows if r.bold]
    assert bold == [
        "합 계",
        "시민소통담당관",
        "뉴미디어담당관",
        "도시브랜드담당관",
        "시민봉사담당관",
        "신속행정담당관",
    ]
    row = next(r for r in t.rows if r.key == "settlement/뉴미디어담당관")
    assert [c.text for c in row.cells] == ["뉴미디어담당관", "5,653,898", "5,842,649", "5,623,264", "96.2"]
    assert row.level == 1 and len(row.children) == 2 and row.cells[1].formula == "sum:children"
    assert row.cells[4].formula == "rate:spent/budget_current"
    business = next(r for r in t.rows if r.key == "settlement/사업예산")
    assert [t.rows[i].level for i in business.children] == [2] * 5  # 사업예산 = the five 정책사업
    leaf = next(r for r in t.rows if r.key and r.key.endswith("/언론매체를 통한 시정정보제공"))
    assert leaf.level == 3 and leaf.cells[1].formula is None and leaf.cells[1].value == 4_082_365


def test_next_year_table(document: Document) -> None:
    t = document.table("next_year")
    assert t is not None and len(t.header) == 2 and t.header[0][3].colspan == 2
    cells = {r.cells[0].text: r.cells for r in t.rows}
    basic = next(r for r in t.rows if r.key == "next_year/기본경비(행정운영경비)")
    assert [c.text for c in basic.cells][3:] == ["△24,802", "△3.45"]
    assert [c.text for c in cells["서울시 해외 홍보마케팅"]][1:] == ["-", "3,500,000", "3,500,000", "100"]
    assert cells["서울시 해외 홍보마케팅"][3].formula == "diff:current-previous"
    assert [c.text for c in cells["공공소셜 활성화"]][3:] == ["△109,600", "△100.00"]


def test_new_item_rate_setting(sample: Settlement) -> None:
    doc = build(sample, ReportConfig(new_item_rate="순증"), charts=False).document
    t = doc.table("next_year")
    assert t is not None
    row = next(r for r in t.rows if r.cells[0].text == "서울시 해외 홍보마케팅")
    assert row.cells[4].text == "순증" and row.cells[4].value is None


def test_cards(document: Document) -> None:
    headings = [
        b.text for b in document.blocks if isinstance(b, Heading) and b.level == 3 and b.text[0] in "①②③④⑤⑥"
    ]
    assert len(headings) == 19 and headings[0] == "① 언론매체를 통한 시정정보 제공"
    lines = [t for t in texts(document, "lead") if "결산 : 예산현액" in t]
    assert len(lines) == 19
    assert "'18년 결산 : 예산현액 3,240백만원 중 3,145백만원 집행(집행률 97.0%)" in lines  # stated 97.1
    assert "'18년 결산 : 예산현액 64백만원 중 55백만원 집행(집행률 86.1%)" in lines  # stated 57 / 89
    assert "'18년 결산 : 예산현액 1,650백만원 중 1,640백만원 집행(집행률 99.4%)" in lines
    assert "사고이월액 413백만원 포함" in texts(document, "note")
    goals = texts(document, "headline")
    assert len(goals) == 19 and goals[0].startswith("신문·방송 등 영향력 있는 언론매체를 활용하여")
    assert {b.level for b in document.blocks if isinstance(b, Paragraph) and b.style == "bullet"} == {0, 1, 2}


def test_audits_and_revenue(document: Document) -> None:
    audits = document.table("audits")
    assert audits is not None and [r.cells[0].text for r in audits.rows] == ["1", "2"]
    assert audits.rows[0].cells[3].text.startswith("▶ 추진완료")
    revenue = document.table("revenue")
    assert revenue is not None
    assert [c.text for c in revenue.rows[0].cells] == [
        "합계",
        "7,913,080",
        "7,913,080",
        "7,888,822",
        "7,888,730",
        "92",
    ]
    assert revenue.rows[-1].cells[-1].text == "-"  # 국고보조금 미수납 0
    body = texts(document, "bullet")
    assert "▶ 서울사랑 광고수입 19,101천원   ▶ 간행물 위탁판매 수입 37,534천원" in body


def test_expenditure_table_uses_division_figures_and_carry_over(document: Document) -> None:
    t = document.table("expenditure")
    assert t is not None and t.columns[-2:] == ("unused", "rate")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in t.rows}
    assert rows["도시브랜드 담당관"] == [
        "3,793,409",
        "3,793,409",
        "3,250,465",
        "129,835",
        "85.7",
    ]  # − 사고이월 413,109
    assert rows["총계"] == ["47,810,398", "48,622,861", "47,025,374", "1,184,378", "96.7"]


def test_every_table_is_well_formed(document: Document) -> None:
    for t in document.tables():
        assert t.caption and t.header, t.id
        width = sum(c.colspan for c in t.header[0])
        assert len(t.columns) == width, t.id
        for r in t.rows:
            assert all(0 <= i < len(t.rows) for i in r.children)
        if t.widths:
            assert len(t.widths) == width, t.id


def test_annex(sample: Settlement) -> None:
    from gyeolsan.model import Finding, Location, Severity

    finding = Finding(
        rule="SUM001",
        severity=Severity.ERROR,
        message="합계 오류",
        message_en="bad total",
        location=Location(path="x", line=123),
        stated="1",
        expected="2",
    )
    doc = build(sample, findings=[finding], charts=False).document
    assert isinstance(doc.blocks[-1], Table) and doc.blocks[-1].id == "findings"
    assert [c.text for c in doc.blocks[-1].rows[0].cells][:3] == ["1", "SUM001", "오류"]
    assert doc.meta["findings"] == "오류 1 · 경고 0 · 참고 0"
    assert Heading(1, "부록. 검증 결과") in doc.blocks
    empty = build(sample, findings=[], charts=False).document
    assert "발견된 문제가 없습니다. / No findings." in texts(empty)


def test_headline_style_setting(sample: Settlement) -> None:
    doc = build(sample, ReportConfig(headline="억백만원", next_headline="억원"), charts=False).document
    lead = texts(doc, "lead")
    assert "'18년 결산 세출예산 현액 486억 23백만원, 이중 470억 25백만원 집행 (집행률 96.7%)" in lead
    assert "'19년 예산 세출예산 544억원" in lead


def test_headlines_are_written_when_the_source_has_none(sample: Settlement) -> None:
    assert sample.settlement and sample.next_year and sample.revenue and sample.expenditure
    bare = sample.model_copy(
        update={
            "settlement": sample.settlement.model_copy(update={"headline": None}),
            "next_year": sample.next_year.model_copy(update={"headline": None}),
            "revenue": sample.revenue.model_copy(update={"headline": None}),
            "expenditure": sample.expenditure.model_copy(update={"headline": None}),
        }
    )
    doc = build(bare, charts=False).document
    assert "'18년 결산 세출예산 현액 486억원, 이중 470억원 집행 (집행률 96.7%)" in texts(doc, "lead")
    assert "'19년 예산 세출예산 544억 38백만원" in texts(doc, "lead")
    bullets = texts(doc, "bullet")
    assert any(t.startswith("2018 회계연도 세입 예산현액은 총 7,913,080천원으로") for t in bullets)
    assert any("이 중 47,025,374천원, 예산현액 대비 96.7%를 집행" in t for t in bullets)
