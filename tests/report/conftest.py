"""Shared fixtures of the report tests: the sample imported, prepared and built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.paths import SAMPLE

from gyeolsan.io import load_any
from gyeolsan.model import Settlement
from gyeolsan.report.build import Built, build
from gyeolsan.report.document import Document
from gyeolsan.report.prepare import Prepared, prepare

GOLDEN = Path(__file__).parent / "golden"
EPOCH = "1560729600"  # 2019-06-17: reproducible "generated" stamp in goldens


@pytest.fixture(scope="session", autouse=True)
def _reproducible() -> None:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH


@pytest.fixture(scope="session")
def sample() -> Settlement:
    if not SAMPLE.exists():
        pytest.skip("../shared/seeds sample not available")
    return load_any(SAMPLE, "seeds/000_1b1d515c849dd1d6.txt").settlement


@pytest.fixture(scope="session")
def prepared(sample: Settlement) -> Prepared:
    return prepare(sample)


@pytest.fixture(scope="session")
def built(sample: Settlement) -> Built:
    """The sample's document without charts (fast; charts are tested on their own)."""
    return build(sample, charts=False)


@pytest.fixture(scope="session")
def document(built: Built) -> Document:
    return built.document


@pytest.fixture(scope="session")
def charted(sample: Settlement) -> Document:
    """The sample's document with its charts (rendered once)."""
    return build(sample, charts=True).document
