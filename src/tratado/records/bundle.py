"""A verifiable bundle: a session's public record as a signed, append-only log, in one file.

The bundle holds the public record (:func:`~tratado.records.public_record`) cut into
log leaves, the hash of each leaf, a checkpoint signed by one or more keys (the
service's, each head of delegation's) over the Merkle tree of the leaves
(:mod:`tratado.records.tlog`, :mod:`tratado.records.note`), inclusion proofs for the
opening and closing leaves, and the verifier keys of the signers. Anyone can check it
with no server and no network (:func:`verify_bundle`, ``tratado verify``): every
signature, the root the leaves give, every proof, and that the events, pushed through
the protocol as a live request would be, follow the rules and give the recorded end.

The leaves, in order (each leaf's bytes are the canonical JSON of one object):

* leaf 0, ``{"opening": {...}}``: the record's format version and view, the scenario's
  name and public fingerprint, the protocol and its parameters, the parties, and
  ``public_scenario`` — the scenario's public part (agenda, rules, party names;
  :func:`~tratado.records.build.public_scenario`) whose sha256 is the fingerprint, so
  that the rules can be checked without the confidential file;
* leaves 1 … n, ``{"event": {...}}``: the public log, one event per leaf, in order;
* the last leaf, ``{"closing": {...}}``: the agreement, the result and (item by item)
  the items.

A live service appends the opening when the talks start, one leaf per event as it
happens and the closing at the end, signing a checkpoint after each; a simulated
session's bundle is made at once. The file is canonical JSON (``docs/record-format.md``,
"The verifiable bundle"): any changed, removed, reordered or inserted byte is found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tratado.errors import TratadoError
from tratado.limits import excerpt
from tratado.records.build import PUBLIC, public_part_sha256, public_record, public_scenario
from tratado.records.canonical import canonical_value, parse_record
from tratado.records.note import (
    Checked,
    Checkpoint,
    NoteError,
    SignerKey,
    VerifierKey,
    add_signatures,
    b64decode,
    b64encode,
    parse_note,
    sign_note,
    verify_note,
)
from tratado.records.tlog import (
    MerkleTree,
    ProofError,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

if TYPE_CHECKING:
    from tratado.scenario import Scenario

BUNDLE_VERSION = 1
"""The bundle format version (``tratado_bundle``)."""

BUNDLE_ORDER = ("tratado_bundle", "leaves", "hashes", "checkpoint", "earlier", "inclusion",
                "verifier_keys")
"""The bundle's members, in the order of its canonical form (``earlier`` is optional)."""

OPTIONAL = ("earlier",)

_OPENING = ("tratado_record", "view", "scenario", "protocol", "parties")
_CLOSING = ("agreement", "result", "items")


class BundleProblem(Exception):
    """What makes a bundle fail to verify, saying where (leaf, signature, field)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


# -- making a bundle ----------------------------------------------------------------------


def log_leaves(record: Mapping[str, Any], scenario: Scenario) -> list[dict[str, Any]]:
    """The leaves of ``record`` (an analyst's or a public record of a session on
    ``scenario``): the opening, one leaf per public event, the closing."""
    public = public_record(record)
    opening = {key: public[key] for key in _OPENING}
    opening["public_scenario"] = public_scenario(scenario)
    closing = {key: public[key] for key in _CLOSING if key in public}
    return ([{"opening": opening}] + [{"event": entry} for entry in public["log"]]
            + [{"closing": closing}])


def leaf_bytes(leaf: Any) -> bytes:
    """The bytes a leaf stands for in the log: its canonical JSON, UTF-8."""
    return canonical_value(leaf).encode("utf-8")


def make_bundle(record: Mapping[str, Any], scenario: Scenario, signers: Sequence[SignerKey],
                origin: str | None = None, every: int | None = None) -> dict[str, Any]:
    """The bundle of ``record`` (run on ``scenario``), its checkpoint signed by every
    key of ``signers``. ``origin``: the log's name on the checkpoint's first line
    (default ``tratado/session/`` and the first 16 hex digits of the root hash).
    ``every``: also sign a checkpoint after every ``every`` leaves, as a live service
    does as the talks go, each carried in ``earlier`` with its consistency proof to the
    final one."""
    return sign_leaves(log_leaves(record, scenario), signers, origin, every)


def sign_leaves(leaves: Sequence[Any], signers: Sequence[SignerKey], origin: str | None = None,
                every: int | None = None) -> dict[str, Any]:
    """The bundle of these ``leaves`` (JSON values, in log order), signed as
    :func:`make_bundle` says. It does not check what the leaves say:
    :func:`verify_bundle` does."""
    leaves = list(leaves)
    tree = MerkleTree(leaf_bytes(leaf) for leaf in leaves)
    size, root = len(tree), tree.root()
    origin = origin if origin is not None else f"tratado/session/{root.hex()[:16]}"

    def signed(at: int) -> str:
        try:
            return sign_note(Checkpoint(origin, at, tree.root(at)).text(), signers)
        except NoteError as error:
            raise TratadoError(f"cannot sign the checkpoint: {error}.", field="--origin",
                               fix="give an origin of one line without spaces around it, and at"
                               " least one key.") from None

    bundle: dict[str, Any] = {
        "tratado_bundle": BUNDLE_VERSION,
        "leaves": leaves,
        "hashes": [b64encode(tree.leaf_hash(k)) for k in range(size)],
        "checkpoint": signed(size),
    }
    if every is not None:
        if every < 1:
            raise TratadoError(f"a checkpoint every {every} leaves is impossible.", field="--every",
                               fix="give a whole number from 1.")
        bundle["earlier"] = [
            {"checkpoint": signed(at),
             "consistency": [b64encode(h) for h in tree.consistency_proof(at, size)]}
            for at in range(every, size, every)]
    bundle["inclusion"] = [{"leaf": k, "proof": [b64encode(h) for h in tree.inclusion_proof(k)]}
                           for k in sorted({0, size - 1})]
    bundle["verifier_keys"] = [str(s.verifier) for s in signers]
    return bundle


def iter_bundle(bundle: Mapping[str, Any]) -> Iterator[str]:
    """The canonical text of ``bundle`` in pieces: its members in :data:`BUNDLE_ORDER`,
    one per line, and ``leaves`` and ``hashes`` one item per line."""
    first = True
    for key in BUNDLE_ORDER:
        if key not in bundle:
            continue
        yield ("{" if first else ",\n") + canonical_value(key) + ":"
        first = False
        value = bundle[key]
        if key in ("leaves", "hashes") and isinstance(value, list) and value:
            yield "[\n" + ",\n".join(canonical_value(item) for item in value) + "\n]"
        else:
            yield canonical_value(value)
    yield ("{" if first else "") + "}\n"


def bundle_text(bundle: Mapping[str, Any]) -> str:
    """The canonical text of ``bundle`` (what ``tratado bundle`` writes)."""
    return "".join(iter_bundle(bundle))


def cosign(bundle: Mapping[str, Any], signers: Sequence[SignerKey]) -> dict[str, Any]:
    """``bundle`` with the checkpoint co-signed by ``signers`` and their verifier keys
    added. Check the bundle first (:func:`verify_bundle`): a co-signature vouches for
    the history."""
    out = dict(bundle)
    try:
        out["checkpoint"] = add_signatures(str(bundle["checkpoint"]), signers)
    except NoteError as error:
        raise TratadoError(f"cannot co-sign: {error}.", field="checkpoint") from None
    out["verifier_keys"] = list(bundle["verifier_keys"]) + [str(s.verifier) for s in signers]
    return out


# -- checking one ---------------------------------------------------------------------------


@dataclass
class BundleReport:
    """What :func:`verify_bundle` found: ``problem`` (``None`` when everything
    verifies) and the lines that say what was checked."""

    problem: str | None = None
    lines: list[str] = field(default_factory=list)
    self_asserted: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        body = "".join(f"  {line}\n" for line in self.lines)
        if self.problem is not None:
            return f"{body}Does not verify: {self.problem}."
        trust = (" The keys are self-asserted: they come from the bundle itself, so this shows"
                 " the bundle is intact and consistent, not who signed it; pass --key with keys"
                 " you obtained from the signers." if self.self_asserted else "")
        return f"{body}Verified: every check passed.{trust}"


def read_bundle(data: str | bytes, source: str = "the bundle") -> dict[str, Any]:
    """Parse a bundle within the input limits (``RecordError`` when it cannot be read,
    ``TratadoError`` when the JSON is not a bundle)."""
    bundle = parse_record(data, source)
    if "tratado_bundle" not in bundle:
        raise TratadoError("this JSON is not a verifiable bundle (it has no 'tratado_bundle'"
                           " format version).", file=source, field="tratado_bundle",
                           fix="give the file written by `tratado bundle LOG OUT --key KEY`.")
    return bundle


def verify_bundle(data: str | bytes, keys: Sequence[VerifierKey] = (),
                  scenario: Scenario | None = None, source: str = "the bundle") -> BundleReport:
    """Check the bundle ``data`` (its bytes, as read from the file) with no network.
    ``keys``: verifier keys obtained from the signers (without them, the bundle's own
    keys are used, and the report says they are self-asserted). ``scenario``: the
    checker's own copy of the scenario, to check the events ran on it. Raises
    ``RecordError``/``TratadoError`` only when the data cannot be read as a bundle at
    all; everything else is a problem in the report."""
    bundle = read_bundle(data, source)
    report = BundleReport(self_asserted=not keys)
    try:
        _verify(bundle, data, keys, scenario, report)
    except BundleProblem as problem:
        report.problem = problem.problem
    except TratadoError:
        raise  # a missing package (cryptography): the checker's problem, not the bundle's
    except RecursionError:
        report.problem = "the bundle nests too deep"
    except Exception as error:  # noqa: BLE001 - a signed bundle may still hold anything
        report.problem = f"the bundle is malformed ({type(error).__name__}: {excerpt(error)})"
    return report


def _verify(bundle: dict[str, Any], data: str | bytes, keys: Sequence[VerifierKey],
            scenario: Scenario | None, report: BundleReport) -> None:
    if type(bundle["tratado_bundle"]) is not int or bundle["tratado_bundle"] != BUNDLE_VERSION:
        raise BundleProblem(f"tratado_bundle: this tratado reads bundle format {BUNDLE_VERSION},"
                            f" not {excerpt(bundle['tratado_bundle'])}")
    unknown = sorted(set(bundle) - set(BUNDLE_ORDER))
    missing = [key for key in BUNDLE_ORDER if key not in bundle and key not in OPTIONAL]
    if unknown or missing:
        raise BundleProblem(f"the bundle's members: {excerpt(', '.join(unknown))} not known"
                            if unknown else f"the bundle has no {', '.join(missing)}")
    checkpoint, listed = _signatures(bundle, keys, report)
    leaves, hashes = _leaves(bundle, checkpoint, report)
    _earlier(bundle, checkpoint, listed, keys, report)
    _proofs(bundle, hashes, checkpoint, report)
    _rules(leaves, scenario, report)
    _canonical(bundle, data)


def _open(note: Any, where: str, listed: Sequence[VerifierKey],
          given: Sequence[VerifierKey]) -> tuple[Checkpoint, list[Checked]]:
    """Check a signed checkpoint's signatures (each line by a key of ``listed``) and
    read it; ``where`` names it in a problem."""
    if not isinstance(note, str):
        raise BundleProblem(f"{where}: not a signed note")
    try:
        text, checked = verify_note(note, [*listed, *given])
        checkpoint = Checkpoint.parse(text)
    except NoteError as error:
        raise BundleProblem(f"{where}: {error}") from None
    for c in checked:
        if not any(c.name == key.name and c.key_id == key.id.hex() for key in listed):
            raise BundleProblem(f"{where}, signature line {c.line} ({c.name}, key {c.key_id}):"
                                " its verifier key is not in verifier_keys")
    return checkpoint, checked


def _signatures(bundle: Mapping[str, Any], given: Sequence[VerifierKey],
                report: BundleReport) -> tuple[Checkpoint, list[VerifierKey]]:
    embedded = bundle["verifier_keys"]
    if not isinstance(embedded, list) or not embedded:
        raise BundleProblem("verifier_keys: not a list of verifier keys")
    listed: list[VerifierKey] = []
    for k, text in enumerate(embedded):
        try:
            listed.append(VerifierKey.parse(text if isinstance(text, str) else ""))
        except NoteError as error:
            raise BundleProblem(f"verifier_keys[{k}]: {error}") from None
    checkpoint, checked = _open(bundle["checkpoint"], "checkpoint", listed, given)
    signed = {(c.name, c.key_id) for c in checked if c.verified}
    for k, key in enumerate(listed):
        if (key.name, key.id.hex()) not in signed:
            raise BundleProblem(f"verifier_keys[{k}] ({key.name}, key {key.id.hex()}) did not sign"
                                " the checkpoint")
    if [(k.name, k.id.hex()) for k in listed] != [(c.name, c.key_id) for c in checked]:
        raise BundleProblem("verifier_keys: not one key per signature line of the checkpoint, in"
                            " the same order")
    for key in given:
        if (key.name, key.id.hex()) not in signed:
            raise BundleProblem(f"the key given, {key.name} (key {key.id.hex()}), did not sign the"
                                " checkpoint")
    trusted = {(k.name, k.id.hex()) for k in given}
    for c in checked:
        how = "key given" if (c.name, c.key_id) in trusted else "self-asserted key"
        report.lines.append(f"signature {c.line}: {c.name} (key {c.key_id}) signed the checkpoint"
                            f" — verified ({how})")
    return checkpoint, listed


def _earlier(bundle: Mapping[str, Any], final: Checkpoint, listed: Sequence[VerifierKey],
             given: Sequence[VerifierKey], report: BundleReport) -> None:
    """Checkpoints signed as the log grew: each of the same log, signed, and shown by its
    consistency proof to be a prefix of the final history."""
    if "earlier" not in bundle:
        return
    earlier = bundle["earlier"]
    if not isinstance(earlier, list):
        raise BundleProblem("earlier: not a list of checkpoints")
    last = 0
    for k, item in enumerate(earlier):
        where = f"earlier[{k}]"
        if not isinstance(item, Mapping) or set(item) != {"checkpoint", "consistency"} \
                or not isinstance(item["consistency"], list):
            raise BundleProblem(f"{where}: not {{\"checkpoint\": note, \"consistency\": [hashes]}}")
        checkpoint, _ = _open(item["checkpoint"], f"{where}.checkpoint", listed, given)
        if checkpoint.origin != final.origin:
            raise BundleProblem(f"{where}.checkpoint is of another log ({excerpt(checkpoint.origin)},"
                                f" not {excerpt(final.origin)})")
        if not last < checkpoint.size <= final.size:
            raise BundleProblem(f"{where}.checkpoint: size {checkpoint.size} is not between the"
                                f" previous one ({last}) and the final one ({final.size})")
        last = checkpoint.size
        try:
            proof = [b64decode(h if isinstance(h, str) else "", f"{where}.consistency")
                     for h in item["consistency"]]
            verify_consistency(checkpoint.size, final.size, proof, checkpoint.root, final.root)
        except (NoteError, ProofError) as error:
            raise BundleProblem(f"{where} (size {checkpoint.size}): the final history does not"
                                f" extend it ({error})") from None
    report.lines.append(f"earlier checkpoints: {len(earlier)} signed, each extended by the final"
                        " one (consistency proofs verified)")


def check_saved(bundle_data: str | bytes, notes: Sequence[tuple[str, str]],
                keys: Sequence[VerifierKey] = ()) -> list[str]:
    """Check checkpoints a party saved during the talks (``(where, note text)``) against
    a bundle whose leaves are all there: each must be of the same log, its signatures by
    the bundle's or the given keys must verify, and its root must be the root of the
    bundle's first ``size`` leaves — else the history was rewritten after that party saw
    it. Returns one line per checkpoint; ``BundleProblem`` for the first that fails."""
    bundle = read_bundle(bundle_data)
    listed = [VerifierKey.parse(text) for text in bundle["verifier_keys"]]
    final = Checkpoint.parse(parse_note(bundle["checkpoint"])[0])
    tree = MerkleTree(leaf_bytes(leaf) for leaf in bundle["leaves"])
    lines = []
    for where, note in notes:
        try:
            text, checked = verify_note(note, [*listed, *keys])
            saved = Checkpoint.parse(text)
        except NoteError as error:
            raise BundleProblem(f"{where}: {error}") from None
        if not any(c.verified for c in checked):
            raise BundleProblem(f"{where}: signed by no key of the bundle or given with --key")
        if saved.origin != final.origin:
            raise BundleProblem(f"{where} is of another log ({excerpt(saved.origin)}, not"
                                f" {excerpt(final.origin)})")
        if saved.size > len(tree) or tree.root(saved.size) != saved.root:
            raise BundleProblem(f"{where} (size {saved.size}) does not match the first"
                                f" {saved.size} leaves of the bundle: the history was rewritten"
                                " after it was signed")
        names = ", ".join(c.name for c in checked if c.verified)
        lines.append(f"saved checkpoint {where} (size {saved.size}, signed by {names}): the bundle"
                     " extends it")
    return lines


def _describe(k: int, leaf: Any, last: int) -> str:
    if k == 0:
        return "leaf 0 (the opening)"
    if k == last:
        return f"leaf {k} (the closing)"
    entry = leaf.get("event") if isinstance(leaf, Mapping) else None
    if isinstance(entry, Mapping):
        who = f" by {excerpt(entry.get('party'))}" if entry.get("party") else ""
        return f"leaf {k} (event {k - 1}, {excerpt(entry.get('kind'))}{who})"
    return f"leaf {k}"


def _leaves(bundle: Mapping[str, Any], checkpoint: Checkpoint,
            report: BundleReport) -> tuple[list[Any], list[bytes]]:
    leaves, hashes = bundle["leaves"], bundle["hashes"]
    if not isinstance(leaves, list) or len(leaves) < 2:
        raise BundleProblem("leaves: not a list of an opening, events and a closing")
    if not isinstance(hashes, list) or len(hashes) != len(leaves):
        raise BundleProblem(f"hashes: not one hash per leaf ({len(leaves)} leaves)")
    last = len(leaves) - 1
    recomputed: list[bytes] = []
    for k, (leaf, text) in enumerate(zip(leaves, hashes, strict=True)):
        try:
            listed = b64decode(text if isinstance(text, str) else "", f"hashes[{k}]")
        except NoteError as error:
            raise BundleProblem(str(error)) from None
        actual = leaf_hash(leaf_bytes(leaf))
        if actual != listed:
            raise BundleProblem(f"{_describe(k, leaf, last)}: changed, moved or inserted since it"
                                f" was logged (its hash is not hashes[{k}])")
        recomputed.append(actual)
    if checkpoint.size != len(leaves):
        raise BundleProblem(f"the checkpoint is signed for {checkpoint.size} leaves, the bundle"
                            f" has {len(leaves)}: leaves were added or removed")
    root = MerkleTree.from_leaf_hashes(recomputed).root()
    if root != checkpoint.root:
        raise BundleProblem("the leaves do not give the root hash the checkpoint signs: the"
                            " history was changed (leaves and their hashes together)")
    report.lines.append(f"log: {len(leaves)} leaves give the signed root {b64encode(root)}"
                        f" ({checkpoint.origin})")
    return leaves, recomputed


def _proofs(bundle: Mapping[str, Any], hashes: Sequence[bytes], checkpoint: Checkpoint,
            report: BundleReport) -> None:
    proofs = bundle["inclusion"]
    if not isinstance(proofs, list):
        raise BundleProblem("inclusion: not a list of proofs")
    for k, item in enumerate(proofs):
        where = f"inclusion[{k}]"
        if not isinstance(item, Mapping) or set(item) != {"leaf", "proof"} \
                or type(item["leaf"]) is not int or not isinstance(item["proof"], list):
            raise BundleProblem(f"{where}: not {{\"leaf\": index, \"proof\": [hashes]}}")
        index = item["leaf"]
        if not 0 <= index < len(hashes):
            raise BundleProblem(f"{where}: there is no leaf {index}")
        try:
            path = [b64decode(h if isinstance(h, str) else "", f"{where}.proof")
                    for h in item["proof"]]
            verify_inclusion(hashes[index], index, checkpoint.size, path, checkpoint.root)
        except (NoteError, ProofError) as error:
            raise BundleProblem(f"{where} (leaf {index}): {error}") from None
    if [item["leaf"] for item in proofs] != sorted({0, len(hashes) - 1}):
        raise BundleProblem("inclusion: must hold the proofs of the opening and the closing leaf,"
                            " in that order")
    report.lines.append(f"inclusion proofs: {len(proofs)} verified against the signed root")


def public_part_scenario(public: Mapping[str, Any]) -> Scenario:
    """A scenario with the public part ``public`` (agenda, rules, parties) and blank
    preferences: enough to push events through a protocol and recompute the public
    record, never to say what anyone wanted. ``TratadoError`` when malformed."""
    from tratado.formats.yaml_format import scenario_from_dict

    parties = public.get("parties")
    if not isinstance(parties, list):
        raise TratadoError("public_scenario.parties is not a list.")
    data = {
        "tratado": 1, "name": public.get("name"), "agenda": public.get("agenda"),
        "rules": public.get("rules"),
        "parties": [{**{k: v for k, v in p.items() if v is not None},
                     "preferences": {"type": "table"}}
                    for p in parties if isinstance(p, Mapping)],
    }
    return scenario_from_dict(data)


def _rules(leaves: Sequence[Any], scenario: Scenario | None, report: BundleReport) -> None:
    from tratado.session.replay import RULES_ONLY, verify

    last = len(leaves) - 1
    opening, closing = leaves[0], leaves[last]
    if not isinstance(opening, Mapping) or set(opening) != {"opening"} \
            or not isinstance(opening["opening"], Mapping):
        raise BundleProblem("leaf 0: not the opening ({\"opening\": {...}})")
    if not isinstance(closing, Mapping) or set(closing) != {"closing"} \
            or not isinstance(closing["closing"], Mapping):
        raise BundleProblem(f"leaf {last}: not the closing ({{\"closing\": {{...}}}})")
    head, end = dict(opening["opening"]), dict(closing["closing"])
    if set(head) != {*_OPENING, "public_scenario"}:
        raise BundleProblem(f"leaf 0 (the opening): holds {excerpt(', '.join(sorted(head)))}, not"
                            f" {', '.join(_OPENING)} and public_scenario")
    if set(end) - set(_CLOSING) or not {"agreement", "result"} <= set(end):
        raise BundleProblem(f"leaf {last} (the closing): holds {excerpt(', '.join(sorted(end)))},"
                            " not agreement, result (and items)")
    log = []
    for k in range(1, last):
        leaf = leaves[k]
        if not isinstance(leaf, Mapping) or set(leaf) != {"event"}:
            raise BundleProblem(f"leaf {k}: not an event ({{\"event\": {{...}}}})")
        log.append(leaf["event"])
    public = head.pop("public_scenario")
    named = head.get("scenario")
    if not isinstance(public, Mapping) or not isinstance(named, Mapping) \
            or public_part_sha256(public) != named.get("public_sha256"):
        raise BundleProblem("leaf 0 (the opening): public_scenario does not have the fingerprint"
                            " scenario.public_sha256")
    if head.get("view") != PUBLIC:
        raise BundleProblem("leaf 0 (the opening): view is not 'public'")
    record = {**head, "log": log, **end}
    checked_on = "the scenario given"
    if scenario is None:
        checked_on = "the public part of the scenario in the bundle"
        try:
            scenario = public_part_scenario(public)
        except TratadoError as error:
            raise BundleProblem(f"leaf 0 (the opening): public_scenario: {error.message.rstrip('.')}"
                                ) from None
    verdict = verify(scenario, record)
    if verdict.status != RULES_ONLY:
        problem = (verdict.problem or "").replace("event ", "event #")
        raise BundleProblem(f"replaying the events through the protocol on {checked_on}: {problem}"
                            " (event #k is leaf k+1)")
    report.lines.append(f"rules: the {len(log)} events follow the protocol"
                        f" ({excerpt(head['protocol'].get('name'))}) on {checked_on}, and the"
                        " agreement and result follow from them")


def _canonical(bundle: Mapping[str, Any], data: str | bytes) -> None:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        expected = bundle_text(bundle)
    except (TypeError, ValueError) as error:
        raise BundleProblem(f"the bundle cannot be written in canonical form ({excerpt(error)})"
                            ) from None
    if expected == text:
        return
    at = next((i for i, (a, b) in enumerate(zip(expected, text, strict=False)) if a != b),
              min(len(expected), len(text)))
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    raise BundleProblem(f"the file is not in canonical form from line {line}, column {column}"
                        " (bytes were inserted, removed or changed outside what is signed)")


def fingerprint_of(data: str | bytes) -> str:
    """sha256 (hex) of a bundle file's bytes: what to quote when sharing it."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


__all__ = ["BUNDLE_ORDER", "BUNDLE_VERSION", "BundleProblem", "BundleReport", "bundle_text",
           "check_saved", "cosign", "fingerprint_of", "iter_bundle", "leaf_bytes", "log_leaves",
           "make_bundle", "public_part_scenario", "read_bundle", "sign_leaves", "verify_bundle"]
