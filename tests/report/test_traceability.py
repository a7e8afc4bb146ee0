"""Every printed figure comes from the data: stated (possibly wrong) values never reach the output.

1. A copy of the sample whose stated totals, subtotals, rates, card lines, 【】 counts, headlines and
   organisation counts are all deliberately wrong prints *exactly* the same report as the sample, and
   none of the wrong values appears in the Markdown, HTML or PDF.
2. Every amount and rate cell of every table is traceable: its text is its value; a leaf's value is
   the model's leaf; a subtotal is the sum of its children; a rate is recomputed from its row.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from gyeolsan.io.report_text.sentences import tag_figures
from gyeolsan.model import (
    BudgetLine,
    BudgetTable,
    CardSettlement,
    ChangeLine,
    Headline,
    RevenueLine,
    Settlement,
)
from gyeolsan.model.numbers import format_number, parse_amount, parse_rate, rate
from gyeolsan.report import html, markdown, pdf
from gyeolsan.report.build import build
from gyeolsan.report.document import Document, Table

W = (99_999_991, 88_888_881, 77_777_771, 66_666_661, 55_555_551, 44_444_441, 33_333_331)
RATE, CHANGE_RATE = Decimal("77.7"), Decimal("66.66")
WRONG_TEXTS = [format_number(w) for w in W] + [
    "77.7",
    "66.66",
    "999억",
    "888억",
    "777억 77백만원",
    "7,777백만원",
    "6,666백만원",
    "55건",
    "9담당관",
    "99팀",
    "999명",
    "888명",
]


def _budget(line: BudgetLine) -> BudgetLine:
    children = tuple(_budget(c) for c in line.children)
    wrong: dict[str, object] = {"rate": RATE, "children": children}
    if children or line.kind in ("total", "business", "basic_total"):
        wrong |= {"budget": W[0], "budget_current": W[1], "spent": W[2]}
    return line.model_copy(update=wrong)


def _change(line: ChangeLine) -> ChangeLine:
    children = tuple(_change(c) for c in line.children)
    wrong: dict[str, object] = {"change": W[3], "change_rate": CHANGE_RATE, "children": children}
    if children or line.kind in ("total", "business", "basic_total"):
        wrong |= {"previous": W[4], "current": W[5]}
    return line.model_copy(update=wrong)


def _revenue(line: RevenueLine) -> RevenueLine:
    children = tuple(_revenue(c) for c in line.children)
    wrong: dict[str, object] = {"uncollected": W[6], "children": children}
    if children or line.kind == "total":
        wrong |= {"budget": W[0], "budget_current": W[1], "levied": W[2], "received": W[3]}
    return line.model_copy(update=wrong)


def _headline(h: Headline | None, text: str) -> Headline | None:
    return None if h is None else h.model_copy(update={"text": text, "figures": tag_figures(text)})


def corrupt(s: Settlement) -> Settlement:
    """The sample with every *stated* value wrong (leaves — the data — untouched)."""
    assert s.settlement and s.next_year and s.revenue and s.expenditure and s.staffing and s.organization
    table = s.settlement.model_copy(
        update={
            "lines": tuple(_budget(ln) for ln in s.settlement.lines),
            "headline": _headline(
                s.settlement.headline, "'18년 결산 세출예산 현액 999억원, 이중 888억원 집행 (집행률 77.7%)"
            ),
        }
    )
    summary = s.expenditure.table
    assert summary is not None
    wrong_summary = summary.model_copy(
        update={
            "lines": tuple(
                ln.model_copy(
                    update={
                        "budget": W[0],
                        "budget_current": W[1],
                        "spent": W[2],
                        "unused": W[3],
                        "rate": RATE,
                    }
                )
                for ln in summary.lines
            )
        }
    )
    exp = s.expenditure.model_copy(
        update={
            "table": wrong_summary,
            "summaries": tuple(
                x.model_copy(update={"count": 55, "amount": W[4]}) for x in s.expenditure.summaries
            ),
            "headline": _headline(
                s.expenditure.headline,
                "2018 회계연도 세출 예산현액은 총 99,999,991천원으로, 이 중 88,888,881천원, 예산현액 대비 77.7%를 "
                "집행하였고, 77,777,771천원의 집행잔액이 발생하였습니다.",
            ),
            "unused_headline": _headline(
                s.expenditure.unused_headline,
                "예산 집행잔액은 예산현액인 99,999,991천원의 77.7%인 77,777,771천원입니다.",
            ),
            "narrative": tuple(
                _headline(h, re.sub(r"총 \d+건, [\d,]+천원", "총 55건, 55,555,551천원", h.text))  # type: ignore[misc]
                for h in s.expenditure.narrative
            ),
        }
    )
    revenue = s.revenue.model_copy(
        update={
            "lines": tuple(_revenue(ln) for ln in s.revenue.lines),
            "headline": _headline(
                s.revenue.headline,
                "2018 회계연도 세입 예산현액은 총 88,888,881천원으로, 총 77,777,771천원을 징수결정하여 "
                "66,666,661천원이 수납되었고 미수납액 44,444,441천원입니다.",
            ),
        }
    )
    staffing = s.staffing.model_copy(
        update={
            "stated_quota": 999,
            "stated_current": 888,
            "rows": tuple(
                r.model_copy(update={"total": r.total.model_copy(update={"quota": 999, "current": 888})})
                for r in s.staffing.rows
            ),
        }
    )
    cards = tuple(
        c.model_copy(
            update={
                "settlement": (c.settlement or CardSettlement()).model_copy(
                    update={"budget_current": 7777, "spent": 6666, "rate": RATE}
                )
            }
        )
        for c in s.cards
    )
    org = s.organization.model_copy(
        update={"summary": "1관 9담당관, 99팀", "stated_divisions": 9, "stated_teams": 99}
    )
    next_year = s.next_year.model_copy(
        update={
            "lines": tuple(_change(ln) for ln in s.next_year.lines),
            "headline": _headline(s.next_year.headline, "'19년 예산 세출예산 777억 77백만원"),
        }
    )
    return s.model_copy(
        update={
            "settlement": table,
            "next_year": next_year,
            "revenue": revenue,
            "expenditure": exp,
            "staffing": staffing,
            "cards": cards,
            "organization": org,
        }
    )


def wrong_values_in(text: str) -> list[str]:
    found = []
    for wrong in WRONG_TEXTS:
        if re.search(r"(?<![\d.,])" + re.escape(wrong) + r"(?![\d])", text):
            found.append(wrong)
    return found


@pytest.fixture(scope="module")
def wrong(sample: Settlement) -> Document:
    return build(corrupt(sample), charts=False).document


def test_wrong_stated_values_change_nothing(document: Document, wrong: Document) -> None:
    assert markdown.render(wrong) == markdown.render(document)
    assert html.render(wrong) == html.render(document)


def test_no_wrong_value_in_markdown_or_html(wrong: Document) -> None:
    assert wrong_values_in(markdown.render(wrong)) == []
    assert wrong_values_in(html.render(wrong)) == []


def test_the_check_itself_sees_wrong_values() -> None:  # the detector is not vacuous
    assert wrong_values_in("합계 99,999,991 및 77.7% 그리고 '19년 예산 777억 77백만원") == [
        "99,999,991",
        "77.7",
        "777억 77백만원",
    ]
    assert wrong_values_in("12.31 및 177.70") == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_no_wrong_value_in_pdf(wrong: Document, tmp_path: Path) -> None:
    target = tmp_path / "wrong.pdf"
    target.write_bytes(pdf.render(wrong))
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "47,810,398" in text  # the PDF has text at all
    assert wrong_values_in(text) == []


# ----------------------------------------------------------------------------- every cell traceable


def _leaves(table: BudgetTable) -> dict[str, BudgetLine]:
    out: dict[str, BudgetLine] = {}

    def walk(line: BudgetLine, path: list[str]) -> None:
        if not line.children:
            out["/".join(path)] = line
        for c in line.children:
            walk(c, [*path, c.name])

    for ln in table.lines:
        if ln.kind not in ("total", "business", "basic_total"):
            walk(ln, [ln.name])
    return out


def check_table(t: Table) -> int:
    """Cell text == value; sum formulas hold; rates are recomputed. Returns the number of cells checked."""
    checked = 0
    for row in t.rows:
        for index, (col, cell) in enumerate(zip(t.columns, row.cells, strict=False)):
            if cell.kind == "amount" or cell.kind == "count":
                assert (parse_amount(cell.text) or 0) == (cell.value or 0), (t.id, row.key, col, cell)
                checked += 1
                if cell.formula == "sum:children" and row.children:
                    total = sum((t.rows[i].cells[index].value or 0) for i in row.children)
                    assert (cell.value or 0) == total, (t.id, row.key, col)
            elif cell.kind == "rate" and cell.formula == "rate:spent/budget_current":
                values = dict(zip(t.columns, row.cells, strict=False))
                spent, current = values["spent"].value, values["budget_current"].value
                expected = rate(spent or 0, current, 1) if current else None
                assert cell.value == (expected or None), (t.id, row.key)
                assert parse_rate(cell.text) == cell.value
                checked += 1
    return checked


def test_every_table_cell_is_traceable(document: Document) -> None:
    ids = {t.id: check_table(t) for t in document.tables()}
    assert ids["settlement"] > 150 and ids["next_year"] > 100 and ids["revenue"] == 25
    assert ids["expenditure"] >= 30 and ids["staffing"] == 50


def test_leaf_cells_are_the_models_leaves(sample: Settlement, document: Document) -> None:
    assert sample.settlement is not None
    leaves = _leaves(sample.settlement)
    table = document.table("settlement")
    assert table is not None
    seen = 0
    for row in table.rows:
        if row.children or row.key is None:
            continue
        leaf = leaves.get(row.key.removeprefix("settlement/"))
        if leaf is None:
            continue
        values = dict(zip(table.columns, row.cells, strict=True))
        assert (values["budget"].value, values["budget_current"].value, values["spent"].value) == (
            leaf.budget,
            leaf.budget_current,
            leaf.spent,
        )
        seen += 1
    assert seen == len(leaves) == 35  # 30 단위사업 + 5 기본경비
