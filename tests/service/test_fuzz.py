"""schemathesis against the OpenAPI document: no request, however odd, is a server error.

Generated requests are sent as the demo's mediator (an API token) and, separately, with
no credentials; every answer must be a 2xx or one of the refusals the API documents,
never a 5xx. A few examples per operation: still slow on a shared machine, so run with
``-m slow``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("argon2")

from argon2 import PasswordHasher  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from tratado.service import auth  # noqa: E402
from tratado.service.app import create_app, make_service  # noqa: E402
from tratado.service.base import Service  # noqa: E402
from tratado.service.demo import load_demo  # noqa: E402

TOKEN: list[str] = []
APP = create_app("", service=cast(Service, SimpleNamespace()))  # the service comes below
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def demo_behind_the_api() -> None:
    """The demo talks behind the API (built only when these tests run); the mediator's
    API token in ``TOKEN``."""
    auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    folder = Path(tempfile.mkdtemp(prefix="tratado-fuzz-"))
    service = make_service(f"sqlite:///{folder / 'talks.db'}", folder / "service.key")
    load_demo(service, folder / "keys")
    TOKEN[:] = [auth.issue_api_token(service.db, 1)]
    APP.state.service = service


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_as_the_mediator(case: schemathesis.Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {TOKEN[0]}"},
                         base_url="https://testserver")
    assert response.status_code < 500, (case.method, case.path, response.text[:500])


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_without_credentials(case: schemathesis.Case) -> None:
    response = case.call(base_url="https://testserver")
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
