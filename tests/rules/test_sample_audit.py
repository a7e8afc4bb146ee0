"""The checker against the careful manual audit of the sample (tests/data/sample_audit.toml).

Every audit item must be reported by some finding (all rules of all categories plus the import findings)
at the audit's line (or with that line in ``related``), with the audit's expected value where it gives
one, and rounding classified as rounding. A corrected copy of the sample and the clean fixtures must give
no error and no warning.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import jsonschema
import pytest
from tests.paths import FINDINGS_SCHEMA, FIXTURES, SAMPLE
from tests.rules._helpers import (
    audit_items,
    check,
    check_text,
    corrected_sample,
    match_problem,
    normalize,
    read_text,
    serious,
    show,
)

from gyeolsan.io.load import load_any
from gyeolsan.model import FindingsReport

MY_CATEGORIES = ("narrative", "compliance", "text")


@pytest.fixture(scope="module")
def sample_findings(sample_path):  # type: ignore[no-untyped-def]
    return check(load_any(sample_path))


def _unmatched(findings, categories=None):  # type: ignore[no-untyped-def]
    out = []
    for item in audit_items():
        if categories and item["category"] not in categories:
            continue
        why = match_problem(item, findings)
        if why:
            out.append(
                f"{item['id']} (line {item['line']}, {item['category']}, expected {item.get('expected')!r}): {why}"
            )
    return out


def test_audit_file_is_what_the_test_expects(sample_path):
    items = audit_items()
    assert len(items) == 57
    assert len({i["id"] for i in items}) == len(items)
    assert set(Counter(i["category"] for i in items)) == {
        "arithmetic",
        "rounding",
        "crosssection",
        "narrative",
        "compliance",
        "text",
    }
    lines = read_text(sample_path).splitlines()
    for item in items:  # the stated value is printed on the audit's line
        printed = re.sub(r"(?<=\d),(?=\d{3})", "", lines[item["line"] - 1]).replace("△", "-")
        assert normalize(item["stated"]) in printed, item["id"]


def test_my_categories_are_all_reported(sample_findings):
    unmatched = _unmatched(sample_findings, MY_CATEGORIES)
    assert not unmatched, "narrative/compliance/text audit items not reported:\n" + "\n".join(unmatched)


def test_every_audit_item_is_reported(sample_findings):
    unmatched = _unmatched(sample_findings)
    assert not unmatched, f"{len(unmatched)} of {len(audit_items())} audit items not reported:\n" + "\n".join(
        unmatched
    )


def test_findings_follow_the_json_schema(sample_findings):
    schema = json.loads(FINDINGS_SCHEMA.read_text(encoding="utf-8"))
    report = FindingsReport.build(str(SAMPLE), sample_findings, rules_run=1)
    jsonschema.validate(report.model_dump(mode="json"), schema)


def test_corrected_sample_has_no_error_or_warning(sample_path):
    bad = serious(check_text(corrected_sample(), str(sample_path)))
    assert not bad, "the corrected sample still gives:\n" + show(bad)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("clean_*.txt")))
def test_clean_fixture_has_no_error_or_warning(name):
    bad = serious(check(load_any(FIXTURES / name)))
    assert not bad, f"{name} gives:\n" + show(bad)
