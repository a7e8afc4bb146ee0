"""Computed figures on small hand-made models: totals from leaves, rates, 집행잔액, cards, next year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gyeolsan.model import (
    Adjustment,
    AdjustmentSummary,
    BudgetLine,
    BudgetTable,
    CardSettlement,
    ChangeLine,
    ChangeTable,
    ExpenditureSection,
    Headcount,
    Meta,
    ProgramCard,
    RevenueLine,
    RevenueSection,
    Settlement,
    StaffingRow,
    StaffingTable,
)
from gyeolsan.report import compute
from gyeolsan.report.config import ConfigError, ReportConfig, load_config

BAD = 999_999  # a stated subtotal that is wrong on purpose
BAD_RATE = Decimal("12.3")


def unit(name: str, b: int, bc: int, sp: int) -> BudgetLine:
    return BudgetLine(kind="unit", name=name, budget=b, budget_current=bc, spent=sp, rate=BAD_RATE)


def basic(b: int, sp: int) -> BudgetLine:
    return BudgetLine(kind="basic", name="기본경비(행정운영경비)", budget=b, budget_current=b, spent=sp)


def wrong(kind: str, name: str, *children: BudgetLine) -> BudgetLine:
    return BudgetLine(
        kind=kind, name=name, budget=BAD, budget_current=BAD, spent=BAD, rate=BAD_RATE, children=children
    )  # type: ignore[arg-type]


def table(columns: tuple[str, ...] = ("budget", "budget_current", "spent", "rate")) -> BudgetTable:
    return BudgetTable(
        key="settlement",
        title="'20년 결산",
        columns=columns,
        lines=(
            wrong("total", "합계"),
            wrong("business", "사업예산"),
            wrong("basic_total", "기본경비(행정운영경비)"),
            wrong(
                "division",
                "가과",
                wrong("policy", "정책1", unit("사업1", 100, 120, 60), unit("사업2", 50, 50, 50)),
                basic(10, 5),
            ),
            wrong("division", "나과", unit("사업3", 1000, 1000, 999), basic(20, 20)),
        ),
    )


def test_totals_come_from_the_leaves() -> None:
    t = compute.budget_table(table())
    total, business, basics = (t.root(k) for k in ("total", "business", "basic_total"))  # type: ignore[arg-type]
    assert (total.budget, total.budget_current, total.spent) == (1180, 1200, 1134)
    assert (business.budget, business.budget_current, business.spent) == (1150, 1170, 1109)
    assert (basics.budget, basics.spent) == (30, 25)
    first = t.divisions[0]
    assert (first.budget_current, first.spent, str(first.rate)) == (180, 115, "63.9")
    assert str(first.children[0].children[0].rate) == "50.0"  # leaves' rates recomputed too
    assert str(total.rate) == "94.5"


def test_rates_round_half_up_and_zero_prints_dash() -> None:
    t = BudgetTable(
        key="settlement",
        title="x",
        columns=("budget_current", "spent", "rate"),
        lines=(wrong("division", "가과", unit("a", 0, 8000, 7996), unit("b", 0, 0, 0)),),
    )
    got = compute.budget_table(t).divisions[0]
    assert str(got.rate) == "100.0"  # 99.95 → 100.0 half up
    assert got.budget is None  # 0 + 0 prints "-", reads back as None
    assert got.children[1].rate is None  # no 예산현액: no rate


def test_unused_subtracts_carry_over_records() -> None:
    carry = Adjustment(kind="이월", carry_kind="사고이월", from_program="사업1", amount=30)
    summary = BudgetTable(
        key="expenditure_summary",
        title="부서별",
        columns=("budget", "budget_current", "spent", "unused", "rate"),
        lines=(wrong("total", "총계"), BudgetLine(kind="division", name="가 과", budget=BAD, unused=BAD)),
    )
    settled = compute.budget_table(table(), [carry])
    got = compute.summary_table(summary, settled, [carry])
    total, division = got.lines
    assert (division.budget_current, division.spent, division.unused) == (180, 115, 35)  # 180 − 115 − 30
    assert (total.budget_current, total.unused) == (180, 35)


def test_card_line_sums_its_rows_and_includes_disclosed_carry_over() -> None:
    t = BudgetTable(
        key="settlement",
        title="x",
        columns=("budget_current", "spent", "rate"),
        lines=(
            wrong(
                "division", "가과", unit("마케팅", 0, 1_650_000, 1_226_678), unit("홍보", 0, 335_300, 244_691)
            ),
        ),
    )
    carry = Adjustment(kind="이월", carry_kind="사고이월", from_program="마케팅", amount=413_109)
    stated = CardSettlement(
        budget_current=1, spent=1, rate=BAD_RATE, note="사고이월액 99백만원 포함", note_amount=99
    )
    card = ProgramCard(group=1, index=1, title="카드", unit_programs=("마케팅",), settlement=stated)
    line = compute.card_settlement(card, compute.budget_table(t), [carry])
    assert line is not None
    assert (line.budget_current, line.spent, str(line.rate)) == (1650, 1640, "99.4")  # 1,639,787 ÷ 1,650,000
    assert (line.note, line.note_amount) == ("사고이월액 413백만원 포함", 413)
    separate = card.model_copy(
        update={"settlement": stated.model_copy(update={"note": "사고이월액 99백만원 별도"})}
    )
    line = compute.card_settlement(separate, compute.budget_table(t), [carry])
    assert line is not None and (line.spent, line.note) == (1227, "사고이월액 413백만원 별도")
    both = card.model_copy(update={"unit_programs": ("마케팅", "홍보")})
    line = compute.card_settlement(both, compute.budget_table(t), [carry])
    assert line is not None and (line.budget_current, line.spent) == (1985, 1884)  # 1,985,300 / 1,884,478


def test_card_rate_is_from_exact_figures() -> None:
    t = BudgetTable(
        key="settlement",
        title="x",
        columns=("budget_current", "spent", "rate"),
        lines=(wrong("division", "가과", unit("사업", 0, 252_426, 221_082)),),
    )
    card = ProgramCard(
        group=1, index=1, title="c", unit_programs=("사업",), settlement=CardSettlement(spent=BAD)
    )
    line = compute.card_settlement(card, compute.budget_table(t))
    assert line is not None and (line.budget_current, line.spent, str(line.rate)) == (
        252,
        221,
        "87.6",
    )  # not 87.7


def test_unlinked_card_has_no_line() -> None:
    card = ProgramCard(group=1, index=1, title="c", unit_programs=("없는 사업",))
    assert compute.card_settlement(card, compute.budget_table(table())) is None


def change(name: str, previous: int | None, current: int | None) -> ChangeLine:
    return ChangeLine(
        kind="unit", name=name, previous=previous, current=current, change=BAD, change_rate=BAD_RATE
    )


@pytest.mark.parametrize(("setting", "new_rate"), [("100", Decimal("100")), ("순증", None)])
def test_next_year_change_and_rates(setting: str, new_rate: Decimal | None) -> None:
    t = ChangeTable(
        title="'21년 예산",
        year=2021,
        previous_year=2020,
        lines=(
            ChangeLine(kind="total", name="합계", previous=BAD, current=BAD),
            ChangeLine(
                kind="division",
                name="가과",
                previous=BAD,
                current=BAD,
                children=(
                    change("새 사업", None, 500),
                    change("없어진 사업", 200, None),
                    change("같은 사업", 300, 300),
                    change("줄어든", 1000, 999),
                ),
            ),
        ),
    )
    got = compute.change_table(t, ReportConfig(new_item_rate=setting))
    total = got.root("total")
    assert (total.previous, total.current, total.change) == (1500, 1799, 299)
    assert str(total.change_rate) == "19.93"
    new, gone, same, down = got.divisions[0].children
    assert (new.change, new.change_rate) == (500, new_rate)
    assert (gone.change, str(gone.change_rate)) == (-200, "-100.00")
    assert (same.change, same.change_rate) == (None, None)
    assert str(down.change_rate) == "-0.10"


def test_staffing_totals() -> None:
    rows = (
        StaffingRow(
            name="계",
            is_total=True,
            total=Headcount(quota=BAD, current=BAD),
            by_series=(Headcount(quota=BAD),),
        ),
        StaffingRow(
            name="가과",
            total=Headcount(quota=BAD),
            by_series=(Headcount(quota=3, current=2), Headcount(quota=1, current=None)),
        ),
        StaffingRow(
            name="나과", total=Headcount(quota=BAD), by_series=(Headcount(quota=5, current=5), Headcount())
        ),
    )
    got = compute.staffing_table(StaffingTable(series=("행정", "기술"), rows=rows, stated_quota=BAD))
    total, first, _ = got.rows
    assert (first.total.quota, first.total.current) == (4, 2)
    assert (total.total.quota, total.total.current) == (9, 7)
    assert [(h.quota, h.current) for h in total.by_series] == [(8, 7), (1, None)]
    assert (got.stated_quota, got.stated_current) == (9, 7)


@pytest.mark.parametrize(("zero", "expected"), [("-", None), ("0", 0)])
def test_revenue_uncollected(zero: str, expected: int | None) -> None:
    section = RevenueSection(
        lines=(
            RevenueLine(kind="total", name="합계", levied=BAD, received=BAD, uncollected=BAD),
            RevenueLine(
                kind="category",
                name="세외수입",
                children=(
                    RevenueLine(kind="item", name="경상적세외수입", levied=100, received=90, uncollected=BAD),
                    RevenueLine(kind="item", name="임시적세외수입", levied=50, received=50, uncollected=BAD),
                ),
            ),
        )
    )
    got = compute.revenue_section(section, ReportConfig(revenue_zero=zero))
    total, category = got.lines
    assert (total.levied, total.received, total.uncollected) == (150, 140, 10)
    assert category.children[1].uncollected == expected


def test_adjustment_summaries_from_records() -> None:
    stated = (
        AdjustmentSummary(kind="이용", count=3, amount=BAD),
        AdjustmentSummary(kind="이체", count=5, amount=BAD),
        AdjustmentSummary(kind="집행잔액", count=1, amount=BAD),
    )
    records = (
        Adjustment(kind="이체", amount=10),
        Adjustment(kind="이체", amount=20),
        Adjustment(kind="전용", amount=7),
    )
    got = {s.kind: s for s in compute.adjustment_summaries(stated, records, 1234)}
    assert (got["이용"].none, got["이용"].count, got["이용"].amount) == (True, None, None)
    assert (got["이체"].count, got["이체"].amount) == (2, 30)
    assert (got["전용"].count, got["전용"].amount) == (1, 7)  # a kind with records but no 【】 line is added
    assert (got["집행잔액"].count, got["집행잔액"].amount) == (None, 1234)


def test_table_unit_conversion_sums_converted_leaves() -> None:
    t = BudgetTable(
        key="settlement",
        title="x",
        unit="천원",
        columns=("budget", "budget_current", "spent", "rate"),
        lines=(
            wrong("total", "합계"),
            wrong("division", "가과", unit("a", 1_500, 1_500, 1_499), unit("b", 1_500, 1_500, 1_500)),
        ),
    )
    got = compute.budget_table(t, target_unit="백만원")
    assert got.unit == "백만원"
    assert (got.root("total").budget, got.root("total").spent) == (
        4,
        3,
    )  # 2 + 2 (each 1,500천원 → 2백만원); 1 + 2


def test_compute_numbers_leaves_prose_alone() -> None:
    s = Settlement(
        meta=Meta(title="t", fiscal_year=2020), settlement=table(), expenditure=ExpenditureSection()
    )
    got = compute.compute_numbers(s)
    assert got.settlement.root("total").budget == 1180
    assert got.meta == s.meta


def test_config_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "report.toml"
    good.write_text(
        '[report]\nnew_item_rate = "순증"\ncard_unit = "백만원"\nlogo = "x.png"\n', encoding="utf-8"
    )
    cfg = load_config(good)
    assert cfg.new_item_rate == "순증" and cfg.extra == {"logo": "x.png"}
    bad = tmp_path / "bad.toml"
    bad.write_text('new_item_rate = "50"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("new_item_rate = \n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(broken)
