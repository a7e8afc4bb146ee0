"""Findings of a stored settlement: the core rules run on ``to_model(record)``, attributed to rows and divisions.

Every stored row is tagged (its ``src.cell`` carries ``§model:pk``) before the rules run, so a finding's
location tells which row — and so which division — it is about; the tag is removed afterwards and the
finding is exactly what ``gyeolsan check`` would report. Findings are cached in the settlement by
``revision`` (bumped on every change), so pages read them without re-running the catalogue.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from gyeolsan.model import Finding, FindingsReport, Location, Severity
from gyeolsan.web.convert import TAG, load_rows, tag_for, to_model
from gyeolsan.web.workspace.models import FindingNote, Row, Settlement, division_key


@dataclass(frozen=True)
class Attributed:
    """A finding with the stored row it points at (``budgetline:12``) and that row's division."""

    finding: Finding
    target: str | None
    division_id: int | None
    key: str  # stable id for comments and explanations

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    @property
    def field(self) -> str | None:
        return self.finding.location.field

    def to_json(self) -> dict[str, Any]:
        return {
            "finding": self.finding.to_json(),
            "target": self.target,
            "division": self.division_id,
            "key": self.key,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attributed:
        return cls(Finding.model_validate(data["finding"]), data["target"], data["division"], data["key"])


@dataclass
class Findings:
    items: list[Attributed]
    rules_run: int
    source: str

    def counts(self, division_id: int | None | str = "all") -> dict[str, int]:
        items = (
            self.items if division_id == "all" else [a for a in self.items if a.division_id == division_id]
        )
        c = Counter(a.severity.value for a in items)
        return {s.value: c.get(s.value, 0) for s in Severity}

    def for_target(self, target: str) -> list[Attributed]:
        return [a for a in self.items if a.target == target or (a.target or "").startswith(target + ":")]

    def for_division(self, division_id: int | None) -> list[Attributed]:
        return [a for a in self.items if a.division_id == division_id]

    def report(self, items: list[Attributed] | None = None) -> FindingsReport:
        """The CLI's JSON document (``gyeolsan check --format json``)."""
        chosen = self.items if items is None else items
        return FindingsReport.build(self.source, [a.finding for a in chosen], self.rules_run)


def finding_key(f: Finding, target: str | None) -> str:
    loc = f.location
    parts = [f.rule, target or "", loc.section, loc.table, loc.row, loc.field, None if target else loc.line]
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


def _untag(loc: Location, originals: dict[str, Any]) -> tuple[Location, str | None]:
    cell = loc.cell or ""
    if not cell.startswith(TAG):
        return loc, None
    target = cell[len(TAG) :]
    return loc.model_copy(update={"cell": originals.get(target)}), target


def attribute(findings: list[Finding], rows: dict[type[Row], list[Row]]) -> list[Attributed]:
    """Give each finding its row and division; remove the tags."""
    by_tag: dict[str, Row] = {}
    originals: dict[str, Any] = {}
    by_name: dict[str, set[int | None]] = {}
    for objs in rows.values():
        for obj in objs:
            t = tag_for(obj)[len(TAG) :]
            by_tag[t] = obj
            originals[t] = (obj.src or {}).get("cell")
            if hasattr(obj, "card_src"):
                originals[t + ":settlement"] = (obj.card_src or {}).get("cell")  # type: ignore[attr-defined]
            name = getattr(obj, "name", None) or getattr(obj, "title", None)
            if name:
                by_name.setdefault(division_key(name), set()).add(obj.division_id)
    out = []
    for f in findings:
        location, target = _untag(f.location, originals)
        related = tuple(_untag(r, originals)[0] for r in f.related)
        f = f.model_copy(update={"location": location, "related": related})
        division = None
        if target is not None:
            obj = by_tag.get(target.removesuffix(":settlement"))
            division = obj.division_id if obj is not None else None
        elif location.row:
            candidates = by_name.get(division_key(location.row), set())
            division = next(iter(candidates)) if len(candidates) == 1 else None
        out.append(Attributed(f, target, division, finding_key(f, target)))
    return out


def compute(record: Settlement, overrides: dict[str, dict[str, Any]] | None = None) -> Findings:
    """Run the rule catalogue over what is stored (plus unsaved ``overrides``)."""
    from gyeolsan import rules

    rows = load_rows(record)
    model = to_model(record, tag=True, overrides=overrides, rows=rows)
    result = rules.run(model, None, record.source_path)
    return Findings(attribute(result.findings, rows), result.rules_run, record.source_path)


# parsed findings by the cached JSON they were read from (parsing is most of a page's cost)
_MEMO: dict[tuple[int, int, int], Findings] = {}
_MEMO_SIZE = 64


def _parsed(record: Settlement, data: dict[str, Any]) -> Findings:
    key = (record.pk, record.revision, hash(repr(data)))
    found = _MEMO.get(key)
    if found is None:
        items = [Attributed.from_json(x) for x in data["items"]]
        found = Findings(items, data["rules_run"], data["source"])
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)), None)
        _MEMO[key] = found
    return found


def findings_of(record: Settlement) -> Findings:
    """Findings of the current revision: from the settlement's cache, or computed and stored."""
    cached = record.findings
    if cached and record.findings_revision == record.revision:
        return _parsed(record, cached)
    revision = record.revision
    found = compute(record)
    data = {"items": [a.to_json() for a in found.items], "rules_run": found.rules_run, "source": found.source}
    Settlement.objects.filter(pk=record.pk, revision=revision).update(
        findings=data, findings_revision=revision
    )
    record.findings, record.findings_revision = data, revision
    return found


def explained_keys(record: Settlement) -> set[str]:
    return set(
        FindingNote.objects.filter(settlement=record, kind=FindingNote.EXPLANATION).values_list(
            "finding_key", flat=True
        )
    )


def blocking(
    record: Settlement, division_id: int | None | str = "all"
) -> tuple[list[Attributed], list[Attributed]]:
    """(errors, unexplained warnings) that stop a division's submission (or the office's lock)."""
    found = findings_of(record)
    items = found.items if division_id == "all" else found.for_division(division_id)  # type: ignore[arg-type]
    explained = explained_keys(record)
    errors = [a for a in items if a.severity is Severity.ERROR]
    warnings = [a for a in items if a.severity is Severity.WARNING and a.key not in explained]
    return errors, warnings
