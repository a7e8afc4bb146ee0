"""The core model (``gyeolsan.model.Settlement``) ⇄ the stored rows — the only place that translates.

``from_model(settlement)`` stores a settlement (create, or update in place: rows are matched by a
natural key, so history shows what really changed); ``to_model(record)`` rebuilds the exact core
model, so the same rules and report writers run on what is stored. ``plan()`` computes, without
writing, what storing would change (the import preview).

Rows: settlement and section IV tables → ``BudgetLine``; next year → ``ChangeLine``; revenue →
``RevenueLine``; staffing → ``StaffingRow``; adjustments → ``Adjustment``; cards → ``ProgramCard``;
audits → ``AuditRecommendation``. Everything else (organisation, headlines, table headers, notes,
summaries) stays in ``Settlement.document`` as canonical JSON.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from pydantic import BaseModel

from gyeolsan.model import Settlement as SettlementModel
from gyeolsan.web.workspace.models import (
    Adjustment,
    AuditRecommendation,
    BudgetLine,
    ChangeLine,
    Division,
    Office,
    ProgramCard,
    RevenueLine,
    Row,
    Settlement,
    StaffingRow,
    division_key,
)

# Source.cell of rows tagged for finding attribution ("§budgetline:12"); see validation.py
TAG = "§"

BUDGET_MONEY = (
    "budget",
    "budget_current",
    "spent",
    "carried_over",
    "carried_explicit",
    "carried_accident",
    "carried_continuing",
    "subsidy_returned",
    "unused",
)
CARD_FIELDS = ("budget_current", "spent", "rate", "unit", "note", "note_amount", "src")


def _dump(obj: Any) -> Any:
    return obj.model_dump(mode="json", exclude_defaults=True)


def _rate_text(value: Any) -> str:
    return "" if value is None else str(value)


# ----------------------------------------------------------------------------- row specifications


@dataclass(frozen=True)
class Flat:
    """One row to store: its natural key, parent key, stored field values and owning division."""

    model: type[Row]
    key: tuple[str, ...]
    values: dict[str, Any]
    parent: tuple[str, ...] | None = None
    division: str | None = None  # division key (name without spaces)


def _numbered(keys: Iterable[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
    """Make keys unique by numbering repeats: (…, "x") (…, "x#2")."""
    seen: Counter[tuple[str, ...]] = Counter()
    for key in keys:
        seen[key] += 1
        yield key if seen[key] == 1 else (*key[:-1], f"{key[-1]}#{seen[key]}")


COLUMNS: dict[type[Row], tuple[str, ...]] = {
    BudgetLine: ("kind", "name", "code", *BUDGET_MONEY, "rate", "abolished", "src"),
    ChangeLine: ("kind", "name", "code", "previous", "current", "change", "change_rate", "src"),
    RevenueLine: (
        "kind",
        "name",
        "code",
        "budget",
        "budget_current",
        "levied",
        "received",
        "written_off",
        "uncollected",
        "src",
    ),
    Adjustment: (
        "kind",
        "carry_kind",
        "date",
        "from_division",
        "from_program",
        "to_division",
        "to_program",
        "from_item",
        "to_item",
        "amount",
        "unit",
        "reason",
        "approved_on",
        "reported_on",
        "src",
    ),
    AuditRecommendation: (
        "number",
        "title",
        "content",
        "action",
        "status",
        "status_date",
        "department",
        "src",
    ),
    StaffingRow: ("name", "is_total", "by_series", "src"),
    ProgramCard: ("group", "index", "title", "goal", "sections", "unit_programs", "src"),
}
RATE_COLUMNS = {"rate", "change_rate"}


def _column(obj: Any, name: str) -> Any:
    value = getattr(obj, name)
    if name in RATE_COLUMNS:
        return _rate_text(value)
    if isinstance(value, BaseModel):
        return _dump(value)
    if isinstance(value, tuple):
        return [_dump(x) if isinstance(x, BaseModel) else x for x in value]
    return value


def _values(model: type[Row], obj: Any, handled: tuple[str, ...] = ()) -> dict[str, Any]:
    """A core object's stored columns; fields without a column (added to the core later) go to ``extra``."""
    columns = COLUMNS[model]
    values = {c: _column(obj, c) for c in columns}
    values["extra"] = obj.model_dump(
        mode="json", exclude_defaults=True, exclude={"children", *columns, *handled}
    )
    return values


def _tree(
    model: type[Row], roots: Iterable[Any], prefix: tuple[str, ...], divisions: dict[str, str]
) -> list[Flat]:
    """Pre-order rows of a table; a row belongs to the division row above it (if that division exists)."""
    out: list[Flat] = []
    extra = {"place": prefix[0]} if model is BudgetLine else {}

    def visit(lines: Iterable[Any], parent: tuple[str, ...] | None, division: str | None) -> None:
        lines = list(lines)
        names = _numbered((*(parent or prefix), f"{ln.kind}:{ln.name}") for ln in lines)
        for ln, key in zip(lines, names, strict=True):
            own = division
            if ln.kind == "division":
                own = division_key(ln.name) if division_key(ln.name) in divisions else None
            out.append(Flat(model, key, {**extra, **_values(model, ln)}, parent, own))
            visit(ln.children, key, own)

    visit(roots, None, None)
    return out


def _program_divisions(model: SettlementModel) -> dict[str, str]:
    """단위/정책사업 name → division key, from the settlement table."""
    found: dict[str, str] = {}
    if model.settlement is None:
        return found
    for div in model.settlement.divisions:
        for ln in div.walk():
            found.setdefault(division_key(ln.name), division_key(div.name))
    return found


def division_names(model: SettlementModel) -> list[str]:
    """The divisions of the workflow: division rows of the settlement table, then of section IV."""
    names: dict[str, str] = {}
    tables = [model.settlement, model.expenditure.table if model.expenditure else None]
    for table in tables:
        for div in table.divisions if table else ():
            names.setdefault(division_key(div.name), div.name)
    return list(names.values())


def _match_division(text: str | None, divisions: dict[str, str]) -> str | None:
    """The division named in a free text ("시민소통 기획관 (시민소통 담당관)")."""
    key = division_key(text)
    if not key:
        return None
    if key in divisions:
        return key
    return next((d for d in sorted(divisions, key=len, reverse=True) if d and d in key), None)


def adjustment_division(
    values: dict[str, Any], divisions: dict[str, str], programs: dict[str, str]
) -> str | None:
    """An adjustment belongs to the division it takes budget from (else the one it gives to)."""
    for name in ("from_division", "to_division"):
        found = _match_division(values.get(name), divisions)
        if found:
            return found
    for name in ("from_program", "to_program"):
        found = programs.get(division_key(values.get(name)))
        if found:
            return found
    return None


def _card_values(c: Any) -> dict[str, Any]:
    s = c.settlement
    values = _values(ProgramCard, c, handled=("settlement",))
    values.update(
        has_settlement=s is not None,
        card_budget_current=s.budget_current if s else None,
        card_spent=s.spent if s else None,
        card_rate=_rate_text(s.rate) if s else "",
        card_unit=s.unit if s else "백만원",
        card_note=s.note if s else None,
        card_note_amount=s.note_amount if s else None,
        card_src=_dump(s.src) if s else {},
    )
    if s is not None:
        more = s.model_dump(mode="json", exclude_defaults=True, exclude=set(CARD_FIELDS))
        if more:
            values["extra"]["settlement"] = more
    return values


def _staffing_values(r: Any) -> dict[str, Any]:
    values = _values(StaffingRow, r, handled=("total",))
    values.update(quota=r.total.quota, current=r.total.current)
    return values


def flatten(model: SettlementModel) -> tuple[list[str], list[Flat], dict[str, Any]]:
    """(division names, rows, document) of a core settlement."""
    names = division_names(model)
    divisions = {division_key(n): n for n in names}
    programs = _program_divisions(model)
    rows: list[Flat] = []
    if model.settlement:
        rows += _tree(BudgetLine, model.settlement.lines, ("settlement",), divisions)
    if model.expenditure and model.expenditure.table:
        rows += _tree(BudgetLine, model.expenditure.table.lines, ("expenditure",), divisions)
    if model.next_year:
        rows += _tree(ChangeLine, model.next_year.lines, (), divisions)
    if model.revenue:
        rows += _tree(RevenueLine, model.revenue.lines, (), {})
    if model.staffing:
        keys = _numbered((r.name,) for r in model.staffing.rows)
        for r, key in zip(model.staffing.rows, keys, strict=True):
            own = None if r.is_total else _match_division(r.name, divisions)
            rows.append(Flat(StaffingRow, key, _staffing_values(r), None, own))
    records = [_values(Adjustment, a) for a in (model.expenditure.adjustments if model.expenditure else ())]
    for values, key in zip(records, _numbered(_adjustment_key(v) for v in records), strict=True):
        rows.append(Flat(Adjustment, key, values, None, adjustment_division(values, divisions, programs)))
    for c, key in zip(model.cards, _numbered((str(c.group), str(c.index)) for c in model.cards), strict=True):
        own = next((programs[k] for k in map(division_key, c.unit_programs) if k in programs), None)
        rows.append(Flat(ProgramCard, key, _card_values(c), None, own))
    for a, key in zip(model.audits, _numbered((str(a.number),) for a in model.audits), strict=True):
        rows.append(
            Flat(
                AuditRecommendation,
                key,
                _values(AuditRecommendation, a),
                None,
                _match_division(a.department, divisions),
            )
        )
    return names, rows, _document(model)


def _adjustment_key(values: dict[str, Any]) -> tuple[str, ...]:
    parts = (
        "kind",
        "carry_kind",
        "from_division",
        "from_program",
        "to_division",
        "to_program",
        "from_item",
        "to_item",
    )
    return tuple(str(values.get(p) or "") for p in parts)


def _document(model: SettlementModel) -> dict[str, Any]:
    """The canonical dump without the parts stored as rows."""
    doc: dict[str, Any] = model.model_dump(mode="json", exclude_defaults=True)
    doc.pop("format", None)
    for name in ("cards", "audits"):
        doc.pop(name, None)
    for path in (("settlement",), ("next_year",), ("revenue",), ("expenditure", "table")):
        part = doc
        for p in path:
            part = part.get(p) or {}
        part.pop("lines", None)
    (doc.get("staffing") or {}).pop("rows", None)
    (doc.get("expenditure") or {}).pop("adjustments", None)
    return doc


# ----------------------------------------------------------------------------- database → model

ROW_MODELS: tuple[type[Row], ...] = (
    BudgetLine,
    ChangeLine,
    RevenueLine,
    StaffingRow,
    Adjustment,
    ProgramCard,
    AuditRecommendation,
)


def row_values(obj: Row) -> dict[str, Any]:
    """The stored values of a row (as ``flatten`` produces them)."""
    return {f: getattr(obj, f) for f in stored_fields(type(obj))}


def stored_fields(model: type[Row]) -> list[str]:
    skip = {"id", "settlement", "division", "position", "version", "parent"}
    return [f.name for f in model._meta.concrete_fields if f.name not in skip]


def tag_for(obj: Row | Any) -> str:
    return f"{TAG}{obj._meta.model_name}:{obj.pk}"


def _src(values: dict[str, Any], name: str, tag: str | None) -> dict[str, Any]:
    src = dict(values.get(name) or {})
    if tag:
        src["cell"] = tag
    return src


def _line_dict(obj: Row, values: dict[str, Any], tag: bool) -> dict[str, Any]:
    d = dict(values.get("extra") or {})
    d.update((k, v) for k, v in values.items() if v is not None and k not in ("place", "extra"))
    for rate in RATE_COLUMNS:
        if rate in d and d[rate] == "":
            del d[rate]
    d["src"] = _src(values, "src", tag_for(obj) if tag else None)
    return d


def _build_tree(objs: list[Row], tag: bool, overrides: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for obj in objs:
        values = {**row_values(obj), **overrides.get(tag_for(obj), {})}
        node = _line_dict(obj, values, tag)
        node["children"] = []
        nodes[obj.pk] = node
        parent_id = getattr(obj, "parent_id", None)
        (nodes[parent_id]["children"] if parent_id in nodes else roots).append(node)
    return roots


def _card_dict(obj: ProgramCard, values: dict[str, Any], tag: bool) -> dict[str, Any]:
    extra = dict(values.get("extra") or {})
    more = extra.pop("settlement", {})
    d: dict[str, Any] = {
        **extra,
        "group": values["group"],
        "index": values["index"],
        "title": values["title"],
        "goal": values["goal"],
        "sections": values["sections"],
        "unit_programs": values["unit_programs"],
        "src": _src(values, "src", tag_for(obj) if tag else None),
    }
    if values["has_settlement"]:
        card = {**more, **{f: values[f"card_{f}"] for f in CARD_FIELDS if f != "src"}}
        card["rate"] = card["rate"] or None
        card["src"] = _src(values, "card_src", f"{tag_for(obj)}:settlement" if tag else None)
        d["settlement"] = {k: v for k, v in card.items() if v is not None}
    return d


def _staffing_dict(obj: StaffingRow, values: dict[str, Any], tag: bool) -> dict[str, Any]:
    return {
        **(values.get("extra") or {}),
        "name": values["name"],
        "is_total": values["is_total"],
        "total": {"quota": values["quota"], "current": values["current"]},
        "by_series": values["by_series"],
        "src": _src(values, "src", tag_for(obj) if tag else None),
    }


def load_rows(record: Settlement) -> dict[type[Row], list[Row]]:
    return {
        m: list(m.objects.filter(settlement=record).select_related("division").order_by("position", "pk"))
        for m in ROW_MODELS
    }


def to_model(
    record: Settlement,
    *,
    tag: bool = False,
    overrides: dict[str, dict[str, Any]] | None = None,
    rows: dict[type[Row], list[Row]] | None = None,
) -> SettlementModel:
    """The core settlement of what is stored. ``tag`` marks every row's ``src.cell`` with its id
    (for attributing findings); ``overrides`` (tag → {field: value}) applies unsaved edits."""
    overrides = overrides or {}
    rows = rows if rows is not None else load_rows(record)
    doc = copy.deepcopy(record.document)

    def values(obj: Row) -> dict[str, Any]:
        return {**row_values(obj), **overrides.get(tag_for(obj), {})}

    budget = rows[BudgetLine]
    for place, path in (("settlement", ("settlement",)), ("expenditure", ("expenditure", "table"))):
        part = doc
        for p in path:
            part = part.get(p) if isinstance(part, dict) else None  # type: ignore[assignment]
        if isinstance(part, dict):
            part["lines"] = _build_tree([x for x in budget if x.place == place], tag, overrides)  # type: ignore[attr-defined]
    for model_, name in ((ChangeLine, "next_year"), (RevenueLine, "revenue")):
        if doc.get(name) is not None:
            doc[name]["lines"] = _build_tree(rows[model_], tag, overrides)
    if doc.get("staffing") is not None:
        doc["staffing"]["rows"] = [_staffing_dict(o, values(o), tag) for o in rows[StaffingRow]]  # type: ignore[arg-type]
    adjustments = [_line_dict(o, values(o), tag) for o in rows[Adjustment]]
    if adjustments:
        doc.setdefault("expenditure", {})["adjustments"] = adjustments
    doc["cards"] = [_card_dict(o, values(o), tag) for o in rows[ProgramCard]]  # type: ignore[arg-type]
    doc["audits"] = [_line_dict(o, values(o), tag) for o in rows[AuditRecommendation]]
    doc["format"] = "gyeolsan/1"
    return SettlementModel.model_validate(doc)


# ----------------------------------------------------------------------------- model → database


@dataclass
class Change:
    """One row that storing would create, update or delete (the import preview)."""

    model: type[Row]
    key: tuple[str, ...]
    action: str  # "create" | "update" | "delete"
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, before, after)
    obj: Row | None = None
    flat: Flat | None = None

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def name(self) -> str:
        return " › ".join(
            part.split(":", 1)[-1] for part in self.key if part not in ("settlement", "expenditure")
        )


@dataclass
class Plan:
    office: tuple[str, str]
    fiscal_year: int
    record: Settlement | None
    divisions: list[str]
    document: dict[str, Any]
    changes: list[Change]
    rows: list[Flat]
    existing: dict[tuple[type[Row], tuple[str, ...]], Row]

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(ch.action for ch in self.changes)
        return {a: c.get(a, 0) for a in ("create", "update", "delete")}

    @property
    def document_changed(self) -> bool:
        return self.record is None or self.record.document != self.document


def existing_keys(record: Settlement) -> dict[tuple[type[Row], tuple[str, ...]], Row]:
    """The natural key of every stored row (computed the same way as ``flatten``)."""
    out: dict[tuple[type[Row], tuple[str, ...]], Row] = {}
    rows = load_rows(record)
    for model_ in (BudgetLine, ChangeLine, RevenueLine):
        keys: dict[int, tuple[str, ...]] = {}
        seen: Counter[tuple[str, ...]] = Counter()
        for obj in rows[model_]:
            parent = keys.get(obj.parent_id) if obj.parent_id else None  # type: ignore[attr-defined]
            base = parent or ((obj.place,) if model_ is BudgetLine else ())  # type: ignore[attr-defined]
            key = (*base, f"{obj.kind}:{obj.name}")  # type: ignore[attr-defined]
            seen[key] += 1
            if seen[key] > 1:
                key = (*key[:-1], f"{key[-1]}#{seen[key]}")
            keys[obj.pk] = key
            out[(model_, key)] = obj
    simple = {
        StaffingRow: lambda o: (o.name,),
        Adjustment: lambda o: _adjustment_key(row_values(o)),
        ProgramCard: lambda o: (str(o.group), str(o.index)),
        AuditRecommendation: lambda o: (str(o.number),),
    }
    for model_, keyf in simple.items():
        objs = rows[model_]
        for obj, key in zip(objs, _numbered(keyf(o) for o in objs), strict=True):
            out[(model_, key)] = obj
    return out


def office_of(model: SettlementModel) -> tuple[str, str]:
    office = model.meta.office or (model.organization.office if model.organization else None) or "(실국 미상)"
    return (model.meta.government or "", office)


def plan(model: SettlementModel, record: Settlement | None = None) -> Plan:
    """What storing ``model`` would change (into ``record``, or the stored settlement of its office and year)."""
    government, office = office_of(model)
    if record is None:
        record = Settlement.objects.filter(
            office__government=government, office__name=office, fiscal_year=model.meta.fiscal_year
        ).first()
    names, rows, document = flatten(model)
    existing = existing_keys(record) if record else {}
    changes: list[Change] = []
    new_keys = set()
    for flat in rows:
        new_keys.add((flat.model, flat.key))
        obj = existing.get((flat.model, flat.key))
        if obj is None:
            changes.append(Change(flat.model, flat.key, "create", flat=flat))
            continue
        before = row_values(obj)
        diff = [(f, before[f], v) for f, v in flat.values.items() if before[f] != v]
        if diff:
            changes.append(Change(flat.model, flat.key, "update", diff, obj, flat))
    for (model_, key), obj in existing.items():
        if (model_, key) not in new_keys:
            changes.append(Change(model_, key, "delete", obj=obj))
    return Plan(
        (government, office), model.meta.fiscal_year, record, names, document, changes, rows, existing
    )


def from_model(
    model: SettlementModel, record: Settlement | None = None, *, reason: str = "가져오기", user: Any = None
) -> Settlement:
    """Store a core settlement (new, or updating the stored one in place). Atomic."""
    return apply(plan(model, record), reason=reason, user=user)


@transaction.atomic
def apply(p: Plan, *, reason: str = "가져오기", user: Any = None) -> Settlement:
    government, office_name = p.office
    office, _ = Office.objects.get_or_create(government=government, name=office_name)
    title = str(p.document.get("meta", {}).get("title") or f"{p.fiscal_year} 회계연도 결산")
    record = p.record
    created = record is None
    if record is None:
        record = Settlement(office=office, fiscal_year=p.fiscal_year)
    if record.pk is None or p.document_changed or record.title != title:
        record.title, record.document = title, p.document
        record.version = (record.version or 0) + (1 if record.pk else 0)
        _save(record, reason, user)
    divisions = _store_divisions(record, p.divisions, reason, user)

    parents: dict[tuple[type[Row], tuple[str, ...]], Row] = {}
    changes = {(ch.model, ch.key): ch for ch in p.changes}
    for position, flat in enumerate(p.rows):
        obj = p.existing.get((flat.model, flat.key))
        parent = parents.get((flat.model, flat.parent)) if flat.parent else None
        division = divisions.get(flat.division) if flat.division else None
        if obj is None:
            obj = flat.model(settlement=record, **flat.values)
        elif (flat.model, flat.key) in changes:
            for name, value in flat.values.items():
                setattr(obj, name, value)
            obj.version += 1
        elif (
            obj.position == position
            and getattr(obj, "parent_id", None) == (parent.pk if parent else None)
            and obj.division_id == (division.pk if division else None)
        ):
            parents[(flat.model, flat.key)] = obj
            continue
        obj.position = position
        obj.division = division
        if hasattr(obj, "parent"):
            obj.parent = parent  # type: ignore[attr-defined]
        _save(obj, reason, user)
        parents[(flat.model, flat.key)] = obj
    deleted = [ch for ch in p.changes if ch.action == "delete" and ch.obj is not None]
    for ch in sorted(deleted, key=lambda ch: -len(ch.key)):  # children before their parents
        ch.obj._change_reason = reason  # type: ignore[union-attr]
        ch.obj.delete()  # type: ignore[union-attr]
    if created:
        from gyeolsan.web.deadlines import default_deadlines

        default_deadlines(record)
    bump(record)
    return record


def _save(obj: models.Model, reason: str, user: Any) -> None:
    obj._change_reason = reason  # type: ignore[attr-defined]
    if user is not None and getattr(user, "pk", None):
        obj._history_user = user  # type: ignore[attr-defined]
    obj.save()


def _store_divisions(record: Settlement, names: list[str], reason: str, user: Any) -> dict[str, Division]:
    existing = {d.key: d for d in record.divisions.all()}
    out: dict[str, Division] = {}
    for position, name in enumerate(names):
        key = division_key(name)
        div = existing.pop(key, None)
        if div is None:
            div = Division(settlement=record, name=name, key=key, position=position)
            _save(div, reason, user)
        elif div.position != position or div.name != name:
            div.position, div.name = position, name
            _save(div, reason, user)
        out[key] = div
    for div in existing.values():
        div._change_reason = reason  # type: ignore[attr-defined]
        div.delete()
    return out


def bump(record: Settlement) -> None:
    """A stored value changed: findings (cached by revision) are out of date."""
    Settlement.objects.filter(pk=record.pk).update(revision=models.F("revision") + 1)
    record.refresh_from_db(fields=["revision"])
