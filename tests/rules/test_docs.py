"""docs/rules.md documents every rule and is not stale; every rule of this part is well formed and tested."""

from __future__ import annotations

import re

from tests.paths import ROOT
from tests.rules import test_arithmetic, test_crosssection, test_rounding
from tests.rules.conftest import my_rules

from gyeolsan.rules.catalogue import CATEGORIES, all_rules
from gyeolsan.rules.docs import render_markdown

DOC = ROOT / "docs" / "rules.md"
REGENERATE = "run `uv run --frozen python scripts/gen_rules_doc.py`"


def test_every_rule_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [r.id for r in all_rules() if f"### {r.id} — " not in text]
    assert not missing, f"undocumented rules {missing}: {REGENERATE}"


def test_doc_is_not_stale() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), f"docs/rules.md is stale: {REGENERATE}"


def test_rules_are_well_formed() -> None:
    for r in all_rules():
        assert re.fullmatch(r"[A-Z]{2,8}\d{3}", r.id), r.id
        assert r.category in CATEGORIES
        assert r.title and r.title_en and r.hint and r.example, r.id


def test_this_part_has_ids_by_category() -> None:
    prefixes = {"arithmetic": ("SUM", "RATE"), "rounding": ("ROUND",), "crosssection": ("XREF",)}
    for r in all_rules():
        if r.id.startswith(("SUM", "RATE", "ROUND", "XREF")):
            assert r.id.startswith(prefixes[r.category]), r.id
            assert r.doc, f"{r.id} has no docstring (it is printed in docs/rules.md)"


def test_every_rule_of_this_part_has_a_firing_test() -> None:
    """Each SUM/RATE/ROUND/XREF rule appears in a fires-case table (silence is tested on the clean fixtures)."""
    cases = {c[0] for module in (test_arithmetic, test_rounding, test_crosssection) for c in module.CASES}
    named_elsewhere = {
        "ROUND005",
        "XREF004",
        "XREF005",
        "XREF006",
    }  # hand-built tests in test_rounding/crosssection
    assert set(my_rules()) <= cases | named_elsewhere, sorted(set(my_rules()) - cases - named_elsewhere)
