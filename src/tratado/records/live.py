"""Checking what a live service adds to a bundle's log: the ``talks`` leaves.

A bundle exported by the live-talks service (``tratado serve``) interleaves, between the
opening and the closing, the engine's moves (``event`` leaves, replayed through the
protocol as for any bundle) with the service's own leaves, ``{"talks": {"kind": ...}}``:
invitations (role and party only), preference commitments, the heads' keys, signatures,
rounds, sealed answers and their opening, partial agreements, suspension, the end.
:func:`check_talks_leaves` checks, offline, everything they let anyone check:

* every ``signed`` leaf: the signed text's SHA-256 is the one stated, the text's last
  line states the SHA-256 of its body, the key is the one the head registered in an
  earlier ``key`` leaf, and the Ed25519 signature verifies over the text;
* every ``round-closed`` leaf opens the commitments of the ``answer-sealed`` leaves of
  its round: ``SHA-256(salt ‖ canonical {"party", "round", "answer", "comment"})`` is the
  commitment logged before the close (no answer was changed after it was sealed, none
  added, none dropped), and the ``accept``/``reject`` events that follow, one per party
  in party order, say what was revealed;
* a ``partial-agreement`` follows a round whose answers were all ``accept``.

Preference commitments are not opened here: their salt stays with the delegation (see
docs/threat-model.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from tratado.limits import excerpt
from tratado.records.canonical import canonical_value
from tratado.records.note import NoteError, VerifierKey, b64decode


class LiveProblem(Exception):
    """A ``talks`` leaf that does not check (the message says which and why)."""


def _commitment(salt: str, value: Any) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + canonical_value(value).encode("utf-8")).hexdigest()


def check_talks_leaves(leaves: Sequence[Any]) -> list[str]:
    """Check the ``talks`` leaves of a bundle's ``leaves`` (see the module docstring);
    returns what was checked, or raises :class:`LiveProblem`."""
    keys: dict[str, str] = {}
    sealed: dict[tuple[int, str], str] = {}
    closed: dict[int, dict[str, Any]] = {}
    whole: dict[int, bool] = {}
    expected: list[tuple[str, str, str]] = []
    signatures = opened = 0
    for k, leaf in enumerate(leaves):
        item = leaf.get("talks") if isinstance(leaf, Mapping) else None
        event = leaf.get("event") if isinstance(leaf, Mapping) else None
        if isinstance(event, Mapping) and event.get("kind") in ("accept", "reject"):
            if expected:
                party, answer, comment = expected.pop(0)
                if (event.get("party"), event.get("kind"), event.get("note", "")) != (
                        party, answer, comment):
                    raise LiveProblem(f"leaf {k} (event, {excerpt(event.get('kind'))} by"
                                      f" {excerpt(event.get('party'))}): not the answer revealed"
                                      f" at the close ({answer} by {party})")
            continue
        if not isinstance(item, Mapping):
            continue
        where = f"leaf {k} (talks: {excerpt(item.get('kind'))})"
        kind = item.get("kind")
        try:
            if kind == "key":
                keys[str(item["party"])] = str(item["verifier_key"])
            elif kind == "signed":
                _signature(item, keys, where)
                signatures += 1
            elif kind == "answer-sealed":
                sealed[(int(item["round"]), str(item["party"]))] = str(item["commitment"])
            elif kind == "proposed":
                whole[int(item["round"])] = not item["partial"]
            elif kind == "round-closed":
                opened += _opening(item, sealed, where)
                closed[int(item["round"])] = dict(item["answers"])
                if whole.get(int(item["round"])):
                    expected = [(str(p), str(a["answer"]), str(a.get("comment", "")))
                                for p, a in item["answers"].items()]
            elif kind == "partial-agreement":
                answers = closed.get(int(item["round"]))
                if not answers or any(a.get("answer") != "accept" for a in answers.values()):
                    raise LiveProblem(f"{where}: round {item['round']} was not accepted by every"
                                      " party")
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise LiveProblem(f"{where}: malformed ({type(error).__name__}:"
                              f" {excerpt(error)})") from None
    if not (keys or sealed or signatures):
        return []
    return [f"talks: {signatures} signatures of documents verified with the heads' registered"
            f" keys; {opened} sealed answers opened to what was revealed"]


def _signature(item: Mapping[str, Any], keys: Mapping[str, str], where: str) -> None:
    party, text = str(item["party"]), str(item["text"])
    if item["verifier_key"] != keys.get(party):
        raise LiveProblem(f"{where}: signed with a key {party}'s head did not register before")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != item["sha256"]:
        raise LiveProblem(f"{where}: the text does not have the SHA-256 stated")
    body, _, last = text.rstrip("\n").rpartition("\n")
    if last != f"SHA-256: {hashlib.sha256((body.rstrip(chr(10)) + chr(10)).encode()).hexdigest()}":
        raise LiveProblem(f"{where}: the document's last line does not state the hash of its body")
    try:
        key = VerifierKey.parse(str(item["verifier_key"]))
        raw = b64decode(str(item["signature"]), "the signature")
    except NoteError as error:
        raise LiveProblem(f"{where}: {error}") from None
    if not key.verify(text.encode("utf-8"), raw):
        raise LiveProblem(f"{where}: {party}'s signature of {excerpt(item.get('document'))} does"
                          " not verify")


def _opening(item: Mapping[str, Any], sealed: Mapping[tuple[int, str], str], where: str) -> int:
    number = int(item["round"])
    answers = item["answers"]
    logged = {party for (r, party) in sealed if r == number}
    revealed = {party for party, a in answers.items() if "salt" in a}
    if logged != revealed:
        raise LiveProblem(f"{where}: the answers revealed ({', '.join(sorted(revealed)) or 'none'})"
                          f" are not the ones sealed ({', '.join(sorted(logged)) or 'none'})")
    for party in revealed:
        a = answers[party]
        value = {"party": party, "round": number, "answer": a["answer"], "comment": a["comment"]}
        if _commitment(str(a["salt"]), value) != sealed[(number, party)]:
            raise LiveProblem(f"{where}: {party}'s revealed answer does not open the commitment it"
                              " sealed")
    return len(revealed)


def check_unfinished(scenario: Any, head: Mapping[str, Any], log: Sequence[Any]) -> str:
    """Check the moves of talks still under way (a live service's bundle exported before
    the closing leaf): the protocol of the opening ``head``, rebuilt from its registered
    name only, accepts every event of ``log`` in turn, and each entry is exactly the
    public log entry of its event. Returns what the rules say now; raises
    :class:`LiveProblem` at the first event that breaks them."""
    from tratado.protocols import EventRefused, event_from_entry, protocol_class
    from tratado.protocols.log import render_log
    from tratado.session.driver import Driver

    member = head.get("protocol")
    if not isinstance(member, Mapping) or not isinstance(member.get("name"), str):
        raise LiveProblem("leaf 0 (the opening): the protocol is not named")
    options = {k: v for k, v in member.items() if k != "name"}
    try:
        cls = protocol_class(str(member["name"]), allow_plugins=False)
        protocol = cls.from_params(scenario.party_ids, scenario.agenda.shape, options)
    except Exception as error:  # noqa: BLE001 - a bundle may hold anything
        raise LiveProblem(f"leaf 0 (the opening): the protocol cannot be rebuilt"
                          f" ({type(error).__name__}: {excerpt(error)})") from None
    driver = Driver(protocol)
    events = []
    for k, entry in enumerate(log):
        try:
            if driver.is_over:
                raise ValueError("logged after the talks ended")
            event = event_from_entry(entry, scenario.agenda)
            driver.submit(event)
        except (EventRefused, ValueError, KeyError, TypeError) as error:
            kind = entry.get("kind") if isinstance(entry, Mapping) else None
            raise LiveProblem(f"replaying the events through the protocol: event #{k}"
                              f" ({excerpt(kind)}) breaks the rules: {excerpt(error)}") from None
        events.append(event)
    parties = len(scenario.party_ids)
    again = render_log(scenario.agenda, protocol, events,
                       lambda outcomes: [[0.0] * parties for _ in outcomes])
    for k, (entry, mine) in enumerate(zip(log, again, strict=True)):
        mine.pop("utilities", None)
        if canonical_value(entry) != canonical_value(mine):
            raise LiveProblem(f"event #{k}: the entry is not the one its event gives"
                              f" ({excerpt(canonical_value(entry))})")
    return ("the talks are still going on (no closing leaf yet): the"
            f" {len(log)} events so far follow the protocol ({excerpt(member['name'])})")


__all__ = ["LiveProblem", "check_talks_leaves", "check_unfinished"]
