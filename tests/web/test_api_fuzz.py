"""Schemathesis against a live server: every operation of /api/openapi.json, bounded examples, no server error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EXAMPLES = 3  # per operation and generation mode: bounded (about 20 s in all)


def _runner(
    operation: Any, mode: Any, base_url: str, headers: dict[str, str], failures: list[str]
) -> Callable[[], None]:
    import hypothesis
    from hypothesis import HealthCheck, Phase

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        if response.status_code >= 500:
            failures.append(
                f"{operation.method.upper()} {case.formatted_path} → {response.status_code}: {response.text[:200]}"
            )

    return run


def test_no_server_errors(live_server, people, stored):
    import schemathesis

    from gyeolsan.web.views.auth import new_token

    headers = {"Authorization": f"Bearer {new_token(people.admin)}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json", headers=headers)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # raises on an invalid operation schema
        operations += 1
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            _runner(operation, mode, live_server.url, headers, failures)()
    assert operations >= 25
    assert not failures, "\n".join(failures[:20])
