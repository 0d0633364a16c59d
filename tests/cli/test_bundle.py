"""`tratado keys`, `bundle` and `verify`: a signed, offline-verifiable record (issue 11 §3)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("cryptography")

from click.testing import CliRunner  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tampering import paths_in

import tratado  # noqa: E402
from tratado.cli import cli  # noqa: E402
from tratado.records import read_record  # noqa: E402
from tratado.records.bundle import bundle_text, make_bundle, read_bundle, verify_bundle  # noqa: E402
from tratado.records.note import SignerKey  # noqa: E402


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Keys for the service and a head of delegation, a simulated session and its bundle."""
    folder = tmp_path_factory.mktemp("signed")
    for name in ("mediation-service", "candidate-head"):
        assert invoke("keys", name, "--out", str(folder)).exit_code == 0
    log = folder / "session.json"
    assert invoke("simulate", "job-offer", "--log", str(log)).exit_code == 0
    bundle = folder / "bundle.json"
    result = invoke("bundle", str(log), str(bundle), "--key", str(folder / "mediation-service.key"),
                    "--key", str(folder / "candidate-head.key"), "--origin", "example.org/job-offer",
                    "--every", "10")
    assert result.exit_code == 0, result.output
    return {"folder": folder, "log": log, "bundle": bundle}


def test_keys_are_written_private_and_never_replaced(tmp_path: Path) -> None:
    result = invoke("keys", "example.org/service", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    private, public = tmp_path / "example.org_service.key", tmp_path / "example.org_service.pub"
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert private.read_text().startswith("PRIVATE+KEY+example.org/service+")
    assert public.read_text() == result.output  # the verifier key, printed and saved
    assert result.output.startswith("example.org/service+")
    before = private.read_bytes()
    again = invoke("keys", "example.org/service", "--out", str(tmp_path))
    assert again.exit_code == 2 and "never replaced" in again.output
    assert private.read_bytes() == before
    bad = invoke("keys", "two words", "--out", str(tmp_path))
    assert bad.exit_code == 2 and "NAME" in bad.output


def test_a_bundle_verifies_with_the_signers_keys_and_the_scenario(signed: dict[str, Path]) -> None:
    folder = signed["folder"]
    result = invoke("verify", str(signed["bundle"]))
    assert result.exit_code == 0, result.output
    assert "self-asserted" in result.output and "Verified" in result.output
    result = invoke("verify", str(signed["bundle"]), "--key", str(folder / "mediation-service.pub"),
                    "--key", (folder / "candidate-head.pub").read_text().strip(),
                    "--scenario", "job-offer")
    assert result.exit_code == 0, result.output
    assert "self-asserted" not in result.output and "on the scenario given" in result.output
    bundle = json.loads(signed["bundle"].read_text())
    assert bundle["checkpoint"].startswith("example.org/job-offer\n")
    assert "utilities" not in signed["bundle"].read_text()  # nothing confidential
    assert "negotiators" not in signed["bundle"].read_text()


def test_a_key_that_did_not_sign_or_another_scenario_fails(signed: dict[str, Path],
                                                           tmp_path: Path) -> None:
    assert invoke("keys", "stranger", "--out", str(tmp_path)).exit_code == 0
    result = invoke("verify", str(signed["bundle"]), "--key", str(tmp_path / "stranger.pub"))
    assert result.exit_code == 1 and "stranger" in result.output and "did not sign" in result.output
    result = invoke("verify", str(signed["bundle"]), "--scenario", "river-basin")
    assert result.exit_code == 1 and "not the one the session ran on" in result.output
    result = invoke("verify", str(signed["bundle"]), "--key", "not-a-key")
    assert result.exit_code == 2 and "--key" in result.output


def test_unreadable_input_exits_2(signed: dict[str, Path], tmp_path: Path) -> None:
    assert invoke("verify", str(tmp_path / "missing.json")).exit_code == 2
    (tmp_path / "record.json").write_text(signed["log"].read_text())
    result = invoke("verify", str(tmp_path / "record.json"))
    assert result.exit_code == 2 and "not a verifiable bundle" in result.output
    result = invoke("bundle", str(signed["log"]), str(tmp_path / "b.json"),
                    "--key", str(signed["folder"] / "mediation-service.pub"))
    assert result.exit_code == 2 and ".key" in result.output
    result = invoke("bundle", str(signed["log"]), str(signed["bundle"]),
                    "--key", str(signed["folder"] / "mediation-service.key"))
    assert result.exit_code == 2 and "already exists" in result.output


@pytest.mark.parametrize("protocol", ["alternating", "single-text", "mediated", "item-by-item"])
def test_every_protocol_bundles_and_verifies(protocol: str, signed: dict[str, Path],
                                             tmp_path: Path) -> None:
    log, out = tmp_path / "log.json", tmp_path / "bundle.json"
    args = ["--agreement", "item-by-item"] if protocol == "item-by-item" else ["--protocol", protocol]
    assert invoke("simulate", "job-offer", "--log", str(log), *args).exit_code == 0
    result = invoke("bundle", str(log), str(out), "--key", str(signed["folder"] / "mediation-service.key"))
    assert result.exit_code == 0, result.output
    result = invoke("verify", str(out))
    assert result.exit_code == 0, result.output


def _rebundled(signed: dict[str, Path], change) -> str:
    """The bundle of the session after ``change(record)``, signed by a fresh key: what
    a dishonest signer could produce."""
    import tratado

    record = read_record(signed["log"])
    change(record)
    return bundle_text(make_bundle(record, tratado.load("job-offer"), [SignerKey.generate("liar")]))


def test_a_signed_history_that_breaks_the_rules_fails_naming_the_event(signed: dict[str, Path]) -> None:
    def swap_party(record: dict) -> None:
        record["log"][3]["party"] = record["log"][2]["party"]  # the same party twice in a row

    report = verify_bundle(_rebundled(signed, swap_party))
    assert not report.ok and "event #3" in str(report.problem) and "leaf k+1" in str(report.problem)

    def other_agreement(record: dict) -> None:
        record["agreement"] = dict(record["log"][0]["outcome"])

    report = verify_bundle(_rebundled(signed, other_agreement))
    assert not report.ok and "agreement" in str(report.problem)


def test_removed_reordered_and_resigned_leaves_are_named(signed: dict[str, Path]) -> None:
    bundle = read_bundle(signed["bundle"].read_bytes())
    removed = dict(bundle, leaves=bundle["leaves"][:5] + bundle["leaves"][6:],
                   hashes=bundle["hashes"][:5] + bundle["hashes"][6:])
    assert "added or removed" in str(verify_bundle(bundle_text(removed)).problem)
    swapped = dict(bundle)
    for key in ("leaves", "hashes"):
        items = list(bundle[key])
        items[4], items[5] = items[5], items[4]
        swapped[key] = items
    assert "do not give the root" in str(verify_bundle(bundle_text(swapped)).problem)
    moved = dict(bundle, leaves=[bundle["leaves"][0], bundle["leaves"][2], bundle["leaves"][1],
                                 *bundle["leaves"][3:]])
    assert "leaf 1 (event 0" in str(verify_bundle(bundle_text(moved)).problem)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_removed_or_inserted_byte_fails_without_a_traceback(
        signed: dict[str, Path], tmp_path: Path, data: st.DataObject) -> None:
    original = signed["bundle"].read_bytes()
    # every member as likely as any other (the leaves are most of the file, the keys and
    # proofs a small part of it), then any byte in it
    starts = sorted({0, *(original.find(b'\n"' + name.encode() + b'":') + 1
                          for name in ("hashes", "checkpoint", "earlier", "inclusion",
                                       "verifier_keys"))})
    ends = [*starts[1:], len(original)]
    member = data.draw(st.integers(0, len(starts) - 1), label="member")
    position = data.draw(st.integers(starts[member], ends[member] - 1), label="position")
    how = data.draw(st.sampled_from(["flip", "remove", "insert"]), label="how")
    if how == "flip":
        bit = data.draw(st.integers(0, 7), label="bit")
        changed = original[:position] + bytes([original[position] ^ (1 << bit)]) + original[position + 1:]
    elif how == "remove":
        changed = original[:position] + original[position + 1:]
    else:
        byte = data.draw(st.integers(0, 255), label="byte")
        changed = original[:position] + bytes([byte]) + original[position:]
    path = tmp_path / "changed.json"
    path.write_bytes(changed)
    result = invoke("verify", str(path))
    assert result.exit_code in (1, 2), result.output
    assert "Verified" not in result.output


def test_a_head_of_delegation_co_signs_a_bundle_that_verifies(signed: dict[str, Path],
                                                             tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "bundle.json"
    shutil.copy(signed["bundle"], copy)
    assert invoke("keys", "employer-head", "--out", str(tmp_path)).exit_code == 0
    result = invoke("cosign", str(copy), "--key", str(tmp_path / "employer-head.key"))
    assert result.exit_code == 0, result.output
    result = invoke("verify", str(copy), "--key", str(tmp_path / "employer-head.pub"),
                    "--key", str(signed["folder"] / "mediation-service.pub"))
    assert result.exit_code == 0 and "signature 3: employer-head" in result.output, result.output
    again = invoke("cosign", str(copy), "--key", str(tmp_path / "employer-head.key"))
    assert again.exit_code == 2 and "already signed" in again.output
    copy.write_text(copy.read_text().replace('"round":2', '"round":3', 1))
    before = copy.read_bytes()
    refused = invoke("cosign", str(copy), "--key", str(tmp_path / "employer-head.key"))
    assert refused.exit_code == 2 and "not co-signed" in refused.output
    assert copy.read_bytes() == before


def test_the_how_to_runs_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `$` line of docs/howto/verify-a-record.md, in order, in one folder: the exit
    code is 1 where the page shows 'Does not verify', else 0, and every line shown
    (but those with a key ID or elided with …) is printed."""
    import re
    import shlex

    page = Path(__file__).resolve().parents[2] / "docs" / "howto" / "verify-a-record.md"
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif line.strip() and line.strip() != "...":
                steps[-1][1].append(line)
    assert len(steps) >= 7
    monkeypatch.chdir(tmp_path)
    for command, shown in steps:
        words = shlex.split(command)
        if words[0] == "sed":  # sed -i 's/OLD/NEW/' FILE
            _, old, new, _ = words[2].split("/")
            target = Path(words[3])
            target.write_text(target.read_text().replace(old, new))
            continue
        result = invoke(*words[1:])
        expected = 1 if any("Does not verify" in line for line in shown) else 0
        assert result.exit_code == expected, f"{command}\n{result.output}"
        for line in shown:
            if "…" not in line and "(key " not in line and "+" not in line:
                assert line in result.output, f"{command}: {line!r} not in\n{result.output}"


def test_without_cryptography_the_commands_name_the_extra(signed: dict[str, Path], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for name in [m for m in sys.modules if m == "cryptography" or m.startswith("cryptography.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "cryptography", None)  # as if it were not installed
    for args in (["keys", "someone", "--out", str(tmp_path)], ["verify", str(signed["bundle"])],
                 ["bundle", str(signed["log"]), str(tmp_path / "b.json"),
                  "--key", str(signed["folder"] / "mediation-service.key")]):
        result = invoke(*args)
        assert result.exit_code == 2 and "tratado[sign]" in result.output, result.output
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_earlier_checkpoints_and_saved_ones_show_the_history_only_grew(signed: dict[str, Path],
                                                                      tmp_path: Path) -> None:
    bundle = read_bundle(signed["bundle"].read_bytes())
    assert [e["checkpoint"].split("\n")[1] for e in bundle["earlier"]] == ["10", "20", "30"]
    result = invoke("verify", str(signed["bundle"]))
    assert result.exit_code == 0 and "earlier checkpoints: 3 signed" in result.output, result.output
    # a delegation saved the checkpoint of size 20 during the talks
    saved = tmp_path / "seen-at-20.note"
    saved.write_text(bundle["earlier"][1]["checkpoint"])
    result = invoke("verify", str(signed["bundle"]), "--checkpoint", str(saved))
    assert result.exit_code == 0 and "size 20, signed by mediation-service, candidate-head" \
        in result.output, result.output
    # the service rewrites event 12 and re-signs everything with the same key, same origin
    import tratado

    record = read_record(signed["log"])
    record["log"][12]["note"] = "rewritten"  # the same moves, one event's note changed
    service = SignerKey.parse((signed["folder"] / "mediation-service.key").read_text().strip())
    rewritten = tmp_path / "rewritten.json"
    rewritten.write_text(bundle_text(make_bundle(record, tratado.load("job-offer"), [service],
                                                 origin="example.org/job-offer")))
    result = invoke("verify", str(rewritten), "--checkpoint", str(saved))
    assert result.exit_code == 1 and "rewritten after it was signed" in result.output, result.output
    # an earlier checkpoint whose consistency proof was tampered with
    first = dict(bundle["earlier"][0], consistency=bundle["earlier"][1]["consistency"])
    broken = dict(bundle, earlier=[first, *bundle["earlier"][1:]])
    report = verify_bundle(bundle_text(broken))
    assert not report.ok and "earlier[0] (size 10)" in str(report.problem)


JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6),
                        st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=6),
                        st.lists(st.integers(0, 3), max_size=2),
                        st.dictionaries(st.text(max_size=4), st.integers(0, 2), max_size=2))


UNREFUTABLE = {"note", "deadline_seconds", "discounting"}




@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), value=JSON_VALUES)
def test_a_re_signed_bundle_with_any_value_anywhere_gets_an_answer_never_a_crash(
        signed: dict[str, Path], data: st.DataObject, value) -> None:
    """A dishonest signer can sign anything: every value of every leaf, changed and
    signed again, gives a verdict (never an exception), and fails unless what changed
    is something the events cannot refute: free text (an event's note), a clock limit
    (``deadline_seconds``) the talks ended before, or ``discounting`` (it changes only
    what the agreement is worth to each party, which a public record does not say)."""
    import copy

    from tratado.records.bundle import sign_leaves

    leaves = copy.deepcopy(read_bundle(signed["bundle"].read_bytes())["leaves"])
    k = data.draw(st.sampled_from([0, 1, 2, 5, len(leaves) - 1]), label="leaf")
    path = data.draw(st.sampled_from(paths_in(leaves[k])), label="path")
    target = leaves[k]
    for key in path[:-1]:
        target = target[key]
    before = json.dumps(leaves[k], sort_keys=True)
    target[path[-1]] = value
    report = verify_bundle(bundle_text(sign_leaves(leaves, [SignerKey.generate("liar")])))
    if (json.dumps(leaves[k], sort_keys=True) != before and not UNREFUTABLE & set(path)
            and not _another_allowed_option(path, value)):
        assert not report.ok, (k, path, value)


def _another_allowed_option(path: tuple[Any, ...], value: object) -> bool:
    """An offer changed to another option its issue has: the rules allow any package to
    be offered, so a public record cannot refute an offer that was not agreed (one that
    was is still caught by the closing leaf, but an identical earlier offer is not)."""
    if len(path) < 2 or path[-2] != "outcome":
        return False
    issues = {issue.name: issue for issue in tratado.load("job-offer").agenda.issues}
    issue = issues.get(str(path[-1]))
    return (issue is not None and not isinstance(value, bool)
            and any(value == option for option in issue.options))


def test_what_is_not_signed_cannot_be_rewritten_either(signed: dict[str, Path]) -> None:
    """Parts outside the signed text have one spelling only: a verifier key with a space,
    keys in another order, a proof left out or a version written as true all fail."""
    bundle = read_bundle(signed["bundle"].read_bytes())
    changes = {
        "a space before a key": dict(bundle, verifier_keys=[" " + bundle["verifier_keys"][0],
                                                            *bundle["verifier_keys"][1:]]),
        "keys swapped": dict(bundle, verifier_keys=bundle["verifier_keys"][::-1]),
        "a proof left out": dict(bundle, inclusion=bundle["inclusion"][:1]),
        "version true": dict(bundle, tratado_bundle=True),
    }
    for what, changed in changes.items():
        assert not verify_bundle(bundle_text(changed)).ok, what
