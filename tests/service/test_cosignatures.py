"""Heads co-sign checkpoints as the talks go (through the API); the exported record
carries every co-signature of every checkpoint, and tratado verify checks each against
the head's registered key and the final log, even when whoever tampers re-signs the
whole log with the service's key (stolen)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tampering import paths_in

from service.helpers import Talks, new_service, venezuela
from service.test_api import logged_in
from service.test_talks import run_round
from tratado.cli import cli
from tratado.errors import TratadoError
from tratado.records.bundle import bundle_text, read_bundle, sign_leaves
from tratado.records.bundle_check import verify_bundle
from tratado.records.canonical import RecordError
from tratado.records.note import VerifierKey, add_signatures
from tratado.service import talks, views


def cosign_through_the_api(setup: Talks, party: str) -> int:
    """The head fetches the latest checkpoint, adds its line, posts it back."""
    c, csrf = logged_in(setup.service, setup.heads[party].email)
    note = c.get(f"/api/talks/{setup.id}/checkpoint").text
    answer = c.post(f"/api/talks/{setup.id}/cosignatures", headers=csrf,
                    json={"note": add_signatures(note, [setup.keys[party]])})
    assert answer.status_code == 200, answer.text
    size: int = answer.json()["size"]
    return size


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Talks in which the government's head co-signs after the launch, the opposition's
    after a round, the government's again after another, and the government's the final
    checkpoint once the talks ended; and the record exported through the API."""
    svc = new_service(tmp_path_factory.mktemp("cosigned"))
    setup = venezuela(svc)
    sizes = {"government": [cosign_through_the_api(setup, "government")]}
    run_round(setup, {"government": True, "opposition": False})
    sizes["opposition"] = [cosign_through_the_api(setup, "opposition")]
    run_round(setup, {"government": False, "opposition": True})
    sizes["government"].append(cosign_through_the_api(setup, "government"))
    talks.end(svc, setup.mediator, setup.id, "no agreement this time")
    sizes["government"].append(cosign_through_the_api(setup, "government"))
    c, _ = logged_in(svc, setup.observer.email)
    record = c.get(f"/api/talks/{setup.id}/record").text
    yield {"setup": setup, "sizes": sizes, "record": record}
    svc.db.dispose()


def keys_of(setup: Talks, *parties: str) -> list[VerifierKey]:
    return [VerifierKey.parse(str(setup.keys[p].verifier)) for p in parties]


def test_every_co_signature_travels_in_the_record_and_verifies(played: dict[str, Any],
                                                              tmp_path: Path) -> None:
    setup, sizes, record = played["setup"], played["sizes"], played["record"]
    bundle = read_bundle(record)
    final = len(bundle["leaves"])
    assert sizes["government"][0] < sizes["opposition"][0] < sizes["government"][1] \
        < sizes["government"][2] == final
    assert [(e["party"], int(e["checkpoint"].split("\n")[1])) for e in bundle["cosignatures"]] == \
        sorted([("government", s) for s in sizes["government"]]
               + [("opposition", s) for s in sizes["opposition"]], key=lambda p: (p[1], p[0]))
    assert views.export_record(setup.service, setup.mediator, setup.id) == record  # same bytes
    report = verify_bundle(record)
    assert report.ok, report.problem
    g, o = (setup.keys[p].verifier.id.hex() for p in ("government", "opposition"))
    first, second = sizes["government"][:2]
    assert f"co-signed: government's head (key {g}, key registered in leaf" in str(report)
    assert (f"vouched for the checkpoints of sizes {first}, {second} and {final} (the final one)"
            in str(report))
    assert f"opposition's head (key {o}, key registered in leaf" in str(report)
    assert f"vouched for the checkpoint of size {sizes['opposition'][0]}: this" in str(report)
    # the opposition's key, given, only co-signed an earlier checkpoint: that is enough
    given = verify_bundle(record, keys=[setup.service.signer.verifier, *keys_of(setup, "opposition")])
    assert given.ok, given.problem
    assert f"opposition's head (key {o}, key given)" in str(given)
    # and through the command line
    path = tmp_path / "record.json"
    path.write_text(record, encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(path), "--key",
                                      str(setup.keys["opposition"].verifier)])
    assert result.exit_code == 0 and "co-signatures: 4 of checkpoints" in result.output, result.output


def test_a_record_without_co_signatures_verifies_as_before(played: dict[str, Any]) -> None:
    bundle = read_bundle(played["record"])
    older = {k: v for k, v in bundle.items() if k != "cosignatures"}
    report = verify_bundle(bundle_text(older))
    assert report.ok, report.problem
    assert report.lines == [line for line in verify_bundle(played["record"]).lines
                            if not line.startswith("co-")]


def test_no_co_signature_no_member(launched: Talks) -> None:
    assert "cosignatures" not in read_bundle(views.export_record(launched.service,
                                                                 launched.mediator, launched.id))


def resigned(played: dict[str, Any], edit: Any) -> str:
    """The record's leaves edited and the whole log signed again with the service's key
    (stolen), carrying the heads' co-signatures as they were."""
    setup = played["setup"]
    bundle = read_bundle(played["record"])
    leaves = copy.deepcopy(bundle["leaves"])
    edit(leaves)
    made = sign_leaves(leaves, [setup.service.signer], origin=f"tratado/talks/{setup.id}")
    made["cosignatures"] = bundle["cosignatures"]
    return bundle_text(made)


def test_a_history_rewritten_after_a_head_co_signed_it_fails(played: dict[str, Any],
                                                            tmp_path: Path) -> None:
    first = played["sizes"]["government"][0]

    def rewrite(leaves: list[Any]) -> None:  # a leaf the government's head had vouched for
        leaves[first - 1]["talks"]["at"] = "2021-08-13T00:00:00+00:00"

    text = resigned(played, rewrite)
    path = tmp_path / "rewritten.json"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 1, result.output
    assert (f"Does not verify: cosignatures[0] (government's head, key"
            f" {played['setup'].keys['government'].verifier.id.hex()}) co-signed size {first}: its"
            f" root is not the root of the first {first} leaves — the history was rewritten after"
            " this head vouched for it.") in result.output
    # signed again without a change, it verifies
    assert verify_bundle(resigned(played, lambda leaves: None)).ok


@pytest.mark.parametrize("change, says", [
    (lambda cs: [dict(cs[0], party="opposition"), *cs[1:]],
     "not a key the head of opposition registered"),
    (lambda cs: [dict(cs[0], checkpoint=cs[1]["checkpoint"].rsplit("\u2014 ", 1)[0].rstrip("\n")
                      + "\n" + cs[0]["checkpoint"].splitlines(keepends=True)[-1]), *cs[1:]],
     "does not verify: the text or the signature was changed"),
    (lambda cs: [dict(cs[0], verifier_key=cs[1]["verifier_key"]), *cs[1:]],
     "not a key the head of government registered"),
    (lambda cs: [cs[1], cs[0], *cs[2:]], "not in order of size, then party"),
    (lambda cs: [cs[0], cs[0], *cs[1:]], "not in order of size, then party"),
])
def test_a_misplaced_or_re_targeted_co_signature_fails(played: dict[str, Any], change: Any,
                                                       says: str) -> None:
    bundle = read_bundle(played["record"])
    bundle["cosignatures"] = change(bundle["cosignatures"])
    report = verify_bundle(bundle_text(bundle))
    assert not report.ok and says in (report.problem or ""), report.problem


JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.text(max_size=8),
                        st.lists(st.integers(0, 3), max_size=2))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_changed_in_a_co_signature_fails(played: dict[str, Any],
                                                   data: st.DataObject) -> None:
    """Any value anywhere in the carried co-signatures — a party, a key, a checkpoint,
    a whole entry — replaced by another, or a character of a text changed: the record
    no longer verifies (the member written again in canonical form, so only the
    co-signature checks can catch it)."""
    bundle = read_bundle(played["record"])
    entries = bundle["cosignatures"]
    path = data.draw(st.sampled_from(paths_in(entries)), label="path")
    target: Any = entries
    for key in path[:-1]:
        target = target[key]
    before = target[path[-1]]
    if isinstance(before, str) and data.draw(st.booleans(), label="one character"):
        at = data.draw(st.integers(0, len(before) - 1), label="at")
        value: Any = before[:at] + data.draw(st.characters(codec="utf-8"), label="by") \
            + before[at + 1:]
    else:
        value = data.draw(JSON_VALUES, label="value")
    assume(value != before)
    target[path[-1]] = value
    report = verify_bundle(bundle_text(bundle))
    assert not report.ok, (path, value)
    assert report.problem is not None and report.problem.startswith("cosignatures"), report.problem


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_removed_or_inserted_byte_of_the_co_signatures_fails(
        played: dict[str, Any], data: st.DataObject) -> None:
    original = played["record"].encode("utf-8")
    start = original.find(b'\n"cosignatures":') + 1
    end = original.find(b'\n"inclusion":')
    position = data.draw(st.integers(start, end - 1), label="position")
    how = data.draw(st.sampled_from(["flip", "remove", "insert"]), label="how")
    if how == "flip":
        bit = data.draw(st.integers(0, 7), label="bit")
        changed = original[:position] + bytes([original[position] ^ (1 << bit)]) \
            + original[position + 1:]
    elif how == "remove":
        changed = original[:position] + original[position + 1:]
    else:
        changed = original[:position] + bytes([data.draw(st.integers(0, 255), label="byte")]) \
            + original[position:]
    try:
        report = verify_bundle(changed)
    except (RecordError, TratadoError):
        return  # no longer a bundle's JSON: exit 2
    assert not report.ok, json.dumps(changed[start:end].decode("utf-8", "replace"))


def test_co_signatures_of_earlier_checkpoints_on_each_database(any_service: Any) -> None:
    """On SQLite, and on PostgreSQL in the slow run: the co-signatures kept, exported in
    the order verify requires, and checked."""
    from tratado.service import rounds

    setup = venezuela(any_service, talks_id="cosigned-talks")
    sizes = []
    for party in ("opposition", "government"):  # the same checkpoint, both heads
        note = views.checkpoint(any_service, setup.heads[party], setup.id)
        sizes.append(rounds.cosign(any_service, setup.heads[party], setup.id,
                                   add_signatures(note, [setup.keys[party]])))
    run_round(setup, {"government": True, "opposition": True})
    record = views.export_record(any_service, setup.observer, setup.id)
    entries = read_bundle(record)["cosignatures"]
    assert [e["party"] for e in entries] == ["government", "opposition"] and sizes[0] == sizes[1]
    report = verify_bundle(record)
    assert report.ok, report.problem
    assert sum(line.startswith("co-signed: ") for line in report.lines) == 2
