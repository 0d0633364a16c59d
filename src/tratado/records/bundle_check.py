"""Checking a verifiable bundle (:mod:`tratado.records.bundle`) with no server and no network.

:func:`verify_bundle` (``tratado verify``) checks every signature, the root the leaves
give, every proof, every head's co-signature of a checkpoint signed as the talks went
(:mod:`tratado.records.cosigned`), that the file is in canonical form, and that the events, pushed
through the protocol as a live request would be, follow the rules and give the
recorded end; :func:`check_saved` checks checkpoints saved as the talks went against
the final bundle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tratado.errors import TratadoError
from tratado.limits import excerpt
from tratado.records.build import PUBLIC, public_fingerprint, public_part_sha256
from tratado.records.bundle import (
    _CLOSING,
    _OPENING,
    BUNDLE_ORDER,
    BUNDLE_VERSION,
    OPTIONAL,
    bundle_text,
    leaf_bytes,
    read_bundle,
)
from tratado.records.cosigned import (
    MEMBER,
    CosignProblem,
    check_cosignatures,
    entry_keys,
    vouched_lines,
)
from tratado.records.live import LiveProblem, check_talks_leaves, check_unfinished
from tratado.records.note import (
    Checked,
    Checkpoint,
    NoteError,
    VerifierKey,
    b64decode,
    b64encode,
    parse_note,
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


class BundleProblem(Exception):
    """What makes a bundle fail to verify, saying where (leaf, signature, field)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


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
    _cosignatures(bundle, leaves, hashes, checkpoint, listed, keys, report)
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
    cosigners = entry_keys(bundle.get(MEMBER))
    for key in given:
        if (key.name, key.id.hex()) not in signed | cosigners:
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


def _cosignatures(bundle: Mapping[str, Any], leaves: Sequence[Any], hashes: Sequence[bytes],
                  final: Checkpoint, listed: Sequence[VerifierKey], given: Sequence[VerifierKey],
                  report: BundleReport) -> None:
    """The heads' co-signatures of checkpoints signed as the talks went
    (:mod:`tratado.records.cosigned`): each by the head's registered key, of a checkpoint
    the final log extends; then, per head, what it vouched for."""
    if MEMBER not in bundle:
        return
    tree = MerkleTree.from_leaf_hashes(hashes)
    try:
        vouched = check_cosignatures(bundle[MEMBER], leaves, tree, final, listed[0])
    except CosignProblem as problem:
        raise BundleProblem(str(problem)) from None
    report.lines.append(f"co-signatures: {len(vouched)} of checkpoints signed as the talks went,"
                        " each verified with its head's registered key; each checkpoint's root is"
                        " the root of the first leaves it counts")
    report.lines.extend(vouched_lines(vouched, final, listed, leaves, given))


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
    if k == last and isinstance(leaf, Mapping) and "closing" in leaf:
        return f"leaf {k} (the closing)"
    entry = leaf.get("event") if isinstance(leaf, Mapping) else None
    live = leaf.get("talks") if isinstance(leaf, Mapping) else None
    if isinstance(live, Mapping):
        return f"leaf {k} (talks: {excerpt(live.get('kind'))})"
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
    unfinished = (isinstance(closing, Mapping) and set(closing) in ({"talks"}, {"event"})
                  and any(isinstance(leaf, Mapping) and "talks" in leaf for leaf in leaves))
    if unfinished:  # a live service's talks still under way: no closing yet
        last += 1
        closing = {"closing": {"agreement": None, "result": {}}}
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
        if isinstance(leaf, Mapping) and set(leaf) == {"talks"} and isinstance(leaf["talks"],
                                                                               Mapping):
            continue  # what a live service adds around the moves: checked below
        if not isinstance(leaf, Mapping) or set(leaf) != {"event"}:
            raise BundleProblem(f"leaf {k}: not an event ({{\"event\": {{...}}}}) or a live"
                                " service's leaf ({\"talks\": {...}})")
        log.append(leaf["event"])
    try:
        report.lines.extend(check_talks_leaves(leaves))
    except LiveProblem as broken:
        raise BundleProblem(str(broken)) from None
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
    if unfinished:
        if public_part_sha256(public) != named.get("public_sha256") or \
                (checked_on == "the scenario given"
                 and public_fingerprint(scenario) != named.get("public_sha256")):
            raise BundleProblem("the scenario given is not the one the talks run on")
        try:
            report.lines.append(check_unfinished(scenario, head, log) + f" on {checked_on}")
        except LiveProblem as broken:
            raise BundleProblem(str(broken)) from None
        return
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

__all__ = ["BundleProblem", "BundleReport", "check_saved", "public_part_scenario", "verify_bundle"]
