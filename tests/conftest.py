"""Shared fixtures for the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.paths import SAMPLE


@pytest.fixture(scope="session", autouse=True)
def _chart_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Charts are cached in a folder of this test session (also for the CLI subprocesses), never
    in the user's ~/.cache: every session draws them afresh once."""
    os.environ["GYEOLSAN_CHART_CACHE"] = str(tmp_path_factory.mktemp("chart-cache"))


@pytest.fixture(scope="session")
def sample_path() -> Path:
    if not SAMPLE.exists():
        pytest.skip("../shared/seeds sample not available")
    return SAMPLE
