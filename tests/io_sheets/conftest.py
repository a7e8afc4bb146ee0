"""Shared helpers for the spreadsheet / open-data importer tests."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from gyeolsan.io.errors import ImportResult, InputError
from gyeolsan.model import Finding, FindingsReport
from tests.paths import FINDINGS_SCHEMA, ROOT, SAMPLE

SHEETS = ROOT / "tests" / "fixtures" / "sheets"


def fixture(name: str) -> Path:
    return SHEETS / name


def imp(name: str | Path, **kw: object) -> ImportResult:
    from gyeolsan.io.spreadsheet import import_spreadsheet

    path = name if isinstance(name, Path) else fixture(name)
    return import_spreadsheet(path, str(path), **kw)  # type: ignore[arg-type]


def input_error(name: str | Path, **kw: object) -> list[Finding]:
    with pytest.raises(InputError) as info:
        imp(name, **kw)
    return info.value.findings


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def assert_schema(findings: list[Finding], source: str = "test") -> None:
    if not FINDINGS_SCHEMA.exists():
        pytest.skip("shared findings schema not available")
    doc = FindingsReport.build(source, findings, rules_run=0).model_dump(mode="json")
    jsonschema.validate(doc, json.loads(FINDINGS_SCHEMA.read_text(encoding="utf-8")))


def cli(*args: str):  # type: ignore[no-untyped-def]
    """Run ``gyeolsan`` in-process (typer's runner): exit code, stdout and stderr, no subprocess start-up."""
    from typer.testing import CliRunner

    from gyeolsan.cli import app

    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="session")
def sample_settlement():  # type: ignore[no-untyped-def]
    if not SAMPLE.exists():
        pytest.skip("../shared/seeds sample not available")
    from gyeolsan.io.load import load_any

    return load_any(SAMPLE).settlement


@pytest.fixture(scope="session")
def sample_export():  # type: ignore[no-untyped-def]
    return imp("ehojo_sotong_2018.xlsx")
