"""Core model ⇄ stored rows: lossless round trip, in-place updates, atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest

from gyeolsan.io import InputError, load_any
from gyeolsan.web.convert import apply, from_model, plan, to_model
from gyeolsan.web.workspace.models import (
    Adjustment,
    AuditRecommendation,
    BudgetLine,
    ChangeLine,
    Division,
    ProgramCard,
    RevenueLine,
    Settlement,
    StaffingRow,
)
from tests.paths import FIXTURES

pytestmark = pytest.mark.django_db


def _readable_fixtures() -> list[Path]:
    out = []
    for path in sorted(FIXTURES.glob("*.txt")):
        try:
            load_any(path)
        except InputError:
            continue
        out.append(path)
    return out


READABLE = _readable_fixtures()


def test_demo_round_trip(demo_model):
    record = from_model(demo_model)
    assert to_model(record) == demo_model
    # and again: storing what was read back changes nothing
    assert plan(to_model(record)).changes == []
    assert from_model(to_model(record)).pk == record.pk


@pytest.mark.parametrize("path", READABLE, ids=[p.name for p in READABLE])
def test_fixture_round_trip(path):
    model = load_any(path).settlement
    record = from_model(model)
    assert to_model(record) == model
    p = plan(to_model(record), record)
    assert (p.changes, p.document_changed) == ([], False)


def test_rows_are_relational(demo_model):
    record = from_model(demo_model)
    counts = {
        m: m.objects.filter(settlement=record).count()
        for m in (
            BudgetLine,
            ChangeLine,
            RevenueLine,
            StaffingRow,
            Adjustment,
            ProgramCard,
            AuditRecommendation,
        )
    }
    assert counts[ProgramCard] == len(demo_model.cards)
    assert counts[AuditRecommendation] == len(demo_model.audits)
    assert counts[Adjustment] == len(demo_model.adjustments)
    assert counts[StaffingRow] == len(demo_model.staffing.rows)
    assert counts[BudgetLine] == len(demo_model.settlement.all_lines()) + len(
        demo_model.expenditure.table.all_lines()
    )
    assert counts[ChangeLine] == len(demo_model.next_year.all_lines())
    assert "lines" not in record.document["settlement"]  # rows are not duplicated in the document
    names = list(Division.objects.filter(settlement=record).values_list("name", flat=True))
    assert names == [d.name for d in demo_model.settlement.divisions]


def test_rows_belong_to_their_division(demo_model):
    record = from_model(demo_model)
    newmedia = Division.objects.get(settlement=record, name="뉴미디어담당관")
    unit = BudgetLine.objects.get(settlement=record, place="settlement", name="뉴미디어 웹사이트 운영")
    assert unit.division == newmedia
    # section IV spells it "뉴미디어 담당관": same division
    assert (
        BudgetLine.objects.filter(
            settlement=record, place="expenditure", division=newmedia, kind="division"
        ).count()
        == 1
    )
    # the 전용 of 시민청 운영 및 확산 belongs to 시민소통담당관 (found through its program)
    transfer = Adjustment.objects.get(settlement=record, kind="전용")
    assert transfer.division.name == "시민소통담당관"
    totals = BudgetLine.objects.get(settlement=record, place="settlement", kind="total")
    assert totals.division is None


def test_update_in_place_keeps_rows_and_versions(clean_model):
    record = from_model(clean_model)
    unit = BudgetLine.objects.filter(settlement=record, kind="unit", place="settlement").first()
    changed_line = unit.name
    first = clean_model.settlement
    new_lines = []
    for root in first.lines:
        new_lines.append(_bump_spent(root, changed_line))
    edited = clean_model.model_copy(
        update={"settlement": first.model_copy(update={"lines": tuple(new_lines)})}
    )
    p = plan(edited)
    assert p.record == record
    assert [(c.action, c.name.split(" › ")[-1], [f for f, _, _ in c.fields]) for c in p.changes] == [
        ("update", changed_line, ["spent"])
    ]
    apply(p)
    unit.refresh_from_db()
    assert (
        unit.spent
        == (
            clean_model.settlement.all_lines()[
                [ln.name for ln in clean_model.settlement.all_lines()].index(changed_line)
            ].spent
            or 0
        )
        + 1
    )
    assert unit.version == 2
    assert unit.history.count() == 2
    assert to_model(record) == edited


def _bump_spent(line, name):
    children = tuple(_bump_spent(c, name) for c in line.children)
    update = {"children": children}
    if line.name == name and line.kind == "unit":
        update["spent"] = (line.spent or 0) + 1
    return line.model_copy(update=update)


def test_removed_and_added_rows(clean_model):
    record = from_model(clean_model)
    cards = clean_model.cards
    edited = clean_model.model_copy(update={"cards": cards[1:], "audits": ()})
    p = plan(edited)
    assert (
        p.counts == {"create": 0, "update": 0, "delete": 1 + len(clean_model.audits)}
        or p.counts["delete"] >= 1
    )
    apply(p)
    assert ProgramCard.objects.filter(settlement=record).count() == len(cards) - 1
    assert AuditRecommendation.objects.filter(settlement=record).count() == 0
    assert to_model(record) == edited
    apply(plan(clean_model))
    assert to_model(record) == clean_model


def test_failed_store_changes_nothing(clean_model, monkeypatch):
    from gyeolsan.web import convert

    record = from_model(clean_model)
    before = to_model(record)
    edited = clean_model.model_copy(update={"cards": ()})

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(convert, "bump", boom)
    with pytest.raises(RuntimeError):
        apply(plan(edited))
    assert to_model(Settlement.objects.get(pk=record.pk)) == before


def test_tagging_does_not_change_the_model_otherwise(demo_model):
    record = from_model(demo_model)
    tagged = to_model(record, tag=True)
    line = tagged.settlement.lines[0]
    assert line.src.cell and line.src.cell.startswith("§budgetline:")
    assert tagged.settlement.lines[0].spent == demo_model.settlement.lines[0].spent
