"""tratado serve and tratado export-record."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from tratado.cli import cli
from tratado.records.bundle_check import verify_bundle
from tratado.service import views
from tratado.service.base import Service
from tratado.service.demo import DEMO_ID, load_demo


def test_serve_without_the_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "fastapi" else real(name, *a))
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert "pip install 'tratado[serve]'" in result.output and "Traceback" not in result.output


def test_the_demo_and_the_operators_export(service: Service, tmp_path: Path) -> None:
    demo = load_demo(service, tmp_path / "keys")
    assert (tmp_path / "keys" / "government-head.key").exists()
    from tratado.service.auth import Principal

    admin = Principal(1, "m", "m", True)
    view = views.talks_view(service, admin, DEMO_ID)
    assert view["status"] == "in session" and len(view["rounds"]) == 3
    assert view["partial_agreements"][0]["package"] == {"economy": "UN-managed social fund"}
    assert [r["status"] for r in view["rounds"]] == ["closed", "closed", "scheduled"]
    assert load_demo(service, tmp_path / "keys").talks_id == demo.talks_id  # once only
    out = tmp_path / "record.json"
    url = service.db.url
    result = CliRunner().invoke(cli, ["export-record", "--db", url, "--key-file",
                                      str(tmp_path / "service.key"), DEMO_ID, str(out)])
    assert result.exit_code == 0, result.output
    assert verify_bundle(out.read_bytes()).ok
    verified = CliRunner().invoke(cli, ["verify", str(out)])
    assert verified.exit_code == 0 and "still going on" in verified.output


def test_export_record_refuses_a_missing_database_or_talks(service: Service,
                                                          tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["export-record", "--db", str(tmp_path / "no.db"), "x",
                                  str(tmp_path / "o.json")])
    assert missing.exit_code == 2 and "there is no database here" in missing.output
    nope = runner.invoke(cli, ["export-record", "--db", service.db.url, "--key-file",
                               str(tmp_path / "service.key"), "nope", str(tmp_path / "o.json")])
    assert nope.exit_code == 2 and "there are no talks 'nope'" in nope.output


def test_the_first_administrators_link(service: Service) -> None:
    from tratado.service import auth
    from tratado.service.app import admin_invitation

    token = admin_invitation(service, "chair@talks.example")
    assert token is not None
    user = auth.redeem_invitation(service.db, token, "a long enough password")
    assert user.is_admin and user.email == "chair@talks.example"
    assert admin_invitation(service) is None  # an administrator exists now
