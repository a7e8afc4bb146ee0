"""Fixtures for the arithmetic / rounding / cross-section rule tests and `gyeolsan check`.

- loaders for the sample, its corrected copy and the report fixtures (imported from memory);
- :func:`edit` to change one printed value on one line of a report text (a "modified fixture");
- :func:`mutate` to change fields of the model object printed on a given line (a hand-made variant);
- :class:`Build`, small Settlement objects made by hand;
- :func:`findings_of` to run the rules of this part (SUM, RATE, ROUND, XREF).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from tests.paths import FIXTURES, ROOT, SAMPLE

from gyeolsan.io.errors import ImportResult
from gyeolsan.io.report_text import parse_lines
from gyeolsan.io.report_text.reader import Line, decode
from gyeolsan.model import (
    BudgetLine,
    BudgetTable,
    CardSettlement,
    ChangeLine,
    ChangeTable,
    Finding,
    Meta,
    ProgramCard,
    Settlement,
    Source,
)
from gyeolsan.rules.catalogue import REGISTRY, all_rules
from gyeolsan.rules.config import DEFAULT, RuleConfig
from gyeolsan.rules.engine import run

PREFIXES = ("SUM", "RATE", "ROUND", "XREF")  # the rules of this part of the catalogue
CATEGORIES = ("arithmetic", "rounding", "crosssection")
CLEAN = sorted(p.name for p in FIXTURES.glob("clean_*.txt"))
CORRECTIONS = ROOT / "tests" / "data" / "sample_corrections.toml"
AUDIT = ROOT / "tests" / "data" / "sample_audit.toml"


def my_rules() -> list[str]:
    return sorted(r.id for r in all_rules() if r.id.startswith(PREFIXES))


# --- reading and importing ---------------------------------------------------------------------------


def read(path: Path) -> str:
    return decode(path.read_bytes(), str(path))[0]


def parse(text: str, path: str = "report.txt") -> ImportResult:
    """Import report text held in memory."""
    lines = [Line(no=i, raw=raw, path=path) for i, raw in enumerate(text.splitlines(), start=1)]
    return parse_lines(lines, path)


def fixture_text(name: str) -> str:
    return read(FIXTURES / name)


def load_fixture(name: str) -> Settlement:
    return parse(fixture_text(name), name).settlement


def edit(text: str, line: int, old: str, new: str) -> str:
    """Replace ``old`` (which must occur exactly once on ``line``) by ``new``."""
    lines = text.splitlines()
    assert lines[line - 1].count(old) == 1, f"{old!r} is not printed once on line {line}: {lines[line - 1]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new)
    return "\n".join(lines) + "\n"


def edited(name: str, *edits: tuple[int, str, str]) -> Settlement:
    """A fixture report with some printed values changed, imported."""
    text = fixture_text(name) if name != "sample" else read(SAMPLE)
    for line, old, new in edits:
        text = edit(text, line, old, new)
    return parse(text, name).settlement


def corrected_sample_text() -> str:
    text = read(SAMPLE)
    for fix in tomllib.loads(CORRECTIONS.read_text(encoding="utf-8"))["fix"]:
        text = edit(text, fix["line"], fix["old"], fix["new"])
    return text


def with_next_year_note(s: Settlement, text: str, line: int) -> Settlement:
    """Put the '※ …' note printed on ``line`` into ``next_year.notes`` if the importer has not kept it.

    The corrected copy adds its restatement note on the "(천원)" line under the '19 heading; the importer
    does not keep that note yet (it reports the line as IMP010). The rules read ``next_year.notes``.
    """
    assert s.next_year is not None
    printed = text.splitlines()[line - 1]
    note = "※" + printed.split("※", 1)[1]
    if any(note.strip() in n or n in note for n in s.next_year.notes):
        return s
    return s.model_copy(
        update={"next_year": s.next_year.model_copy(update={"notes": (*s.next_year.notes, note)})}
    )


# --- changing the model ------------------------------------------------------------------------------


def mutate(model: Any, line: int, **changes: Any) -> Any:
    """A copy of ``model`` in which every object printed on ``line`` (``src.line``) that has all the
    ``changes`` fields gets them."""
    if isinstance(model, tuple):
        return tuple(mutate(m, line, **changes) for m in model)
    if not isinstance(model, BaseModel):
        return model
    update = {name: mutate(getattr(model, name), line, **changes) for name in type(model).model_fields}
    src = getattr(model, "src", None)
    if isinstance(src, Source) and src.line == line and all(k in type(model).model_fields for k in changes):
        update.update(changes)
    return model.model_copy(update=update)


# --- running -----------------------------------------------------------------------------------------


def findings_of(
    s: Settlement, config: RuleConfig = DEFAULT, rules: Iterable[str] | None = None
) -> list[Finding]:
    """Findings of this part's rules (or of ``rules``)."""
    wanted = set(rules) if rules is not None else set(my_rules())
    return run(s, config, rules=[REGISTRY[r] for r in sorted(wanted)]).findings


def at(findings: Iterable[Finding], rule: str, line: int) -> list[Finding]:
    return [f for f in findings if f.rule == rule and f.location.line == line]


def serious(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity.value in ("error", "warning")]


def show(findings: Iterable[Finding]) -> str:
    return "\n".join(
        f"  {f.location.line}: {f.severity.value} {f.rule} stated={f.stated!r} expected={f.expected!r} {f.message}"
        for f in findings
    )


# --- small settlements made by hand ------------------------------------------------------------------


class Build:
    """Small Settlement objects: ``Build.line("unit", "A", 100, 100, 90, "90.0", at=12)`` …"""

    path = "hand.txt"

    @classmethod
    def src(cls, line: int, text: str = "") -> Source:
        return Source(path=cls.path, line=line, text=text)

    @classmethod
    def line(
        cls,
        kind: str,
        name: str,
        budget: int | None,
        current: int | None,
        spent: int | None,
        rate: str | None = None,
        *,
        at: int,
        children: tuple[BudgetLine, ...] = (),
        **more: Any,
    ) -> BudgetLine:
        return BudgetLine(
            kind=kind,  # type: ignore[arg-type]
            name=name,
            budget=budget,
            budget_current=current,
            spent=spent,
            rate=Decimal(rate) if rate is not None else None,
            children=children,
            src=cls.src(at, name),
            **more,
        )

    @classmethod
    def change(
        cls, kind: str, name: str, previous: int | None, current: int | None, change: int | None,
        rate_cell: str, *, at: int, children: tuple[ChangeLine, ...] = (),
    ) -> ChangeLine:  # fmt: skip
        """A next-year row; ``rate_cell`` as printed ("9.65", "△100", "100", "순증", "-")."""
        from gyeolsan.model.numbers import parse_rate

        try:
            parsed = parse_rate(rate_cell)
        except ValueError:
            parsed = None
        cells = [name, str(previous or "-"), str(current or "-"), str(change or "-"), rate_cell]
        return ChangeLine(
            kind=kind,  # type: ignore[arg-type]
            name=name,
            previous=previous,
            current=current,
            change=change,
            change_rate=parsed,
            children=children,
            src=Source(path=cls.path, line=at, text="\t".join(cells)),
        )

    @classmethod
    def table(cls, *lines: BudgetLine, title: str = "'18년 결산", key: str = "settlement") -> BudgetTable:
        return BudgetTable(key=key, title=title, section="I. 일반현황", lines=lines, src=cls.src(1))  # type: ignore[arg-type]

    @classmethod
    def next_year(cls, *lines: ChangeLine) -> ChangeTable:
        return ChangeTable(title="'19년 예산", year=2019, previous_year=2018, lines=lines, src=cls.src(2))

    @classmethod
    def card(
        cls, title: str, programs: tuple[str, ...], current: int, spent: int, rate: str, *, at: int, **kw: Any
    ) -> ProgramCard:
        cs = CardSettlement(budget_current=current, spent=spent, rate=Decimal(rate), src=cls.src(at), **kw)
        return ProgramCard(
            group=1, index=1, title=title, settlement=cs, unit_programs=programs, src=cls.src(at - 5)
        )

    @classmethod
    def settlement(cls, **parts: Any) -> Settlement:
        meta = Meta(title="시험 결산", fiscal_year=2018, source_path=cls.path, src=cls.src(1))
        return Settlement(meta=meta, **parts)


# --- pytest fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def build() -> type[Build]:
    return Build


@pytest.fixture(scope="session")
def sample_text(sample_path: Path) -> str:
    return read(sample_path)


@pytest.fixture(scope="session")
def sample(sample_path: Path, sample_text: str) -> Settlement:
    return parse(sample_text, str(sample_path)).settlement


@pytest.fixture(scope="session")
def sample_part1(sample: Settlement) -> list[Finding]:
    return findings_of(sample)


@pytest.fixture(scope="session")
def corrected(sample_path: Path) -> Settlement:
    text = corrected_sample_text()
    return with_next_year_note(parse(text, str(sample_path)).settlement, text, 176)


@pytest.fixture(scope="session")
def culture() -> Settlement:
    return load_fixture("clean_culture_2021.txt")
