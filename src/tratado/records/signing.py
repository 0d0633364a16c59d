"""Key files and the bundle commands' work (``tratado keys``, ``bundle``, ``verify``).

A signer key file holds one line, ``PRIVATE+KEY+<name>+<key ID>+<key>``, and is written
readable by its owner alone (mode 0600) and never over an existing file; the verifier
key file beside it (``.pub``) holds ``<name>+<key ID>+<key>``, which is what others
need to check signatures (:mod:`tratado.records.note`). Every file is written through
:mod:`tratado.files`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tratado.errors import TratadoError
from tratado.files import atomic_write, read_input, refuse_clashes, refuse_overwrite
from tratado.records.bundle import bundle_text, fingerprint_of, make_bundle
from tratado.records.bundle_check import BundleReport, verify_bundle
from tratado.records.canonical import RecordError
from tratado.records.note import NoteError, SignerKey, VerifierKey, check_key_name

_KEY_FILE_BYTES = 4096


def key_file_stem(name: str) -> str:
    """The file name (without suffix) for key ``name``: characters other than letters,
    digits, ``.``, ``_`` and ``-`` become ``_``."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".") or "key"


def write_key_pair(name: str, folder: Path) -> VerifierKey:
    """Generate a key named ``name``; write ``<name>.key`` (0600) and ``<name>.pub`` in
    ``folder``, refusing to replace either; return the verifier key."""
    try:
        check_key_name(name)
    except NoteError as error:
        raise TratadoError(f"{error}.", field="NAME",
                           fix="use a name such as 'mediation-service' or 'government-head'.") from None
    if not folder.is_dir():
        raise TratadoError("the folder does not exist.", file=str(folder),
                           fix="create it first, or pass another --out.")
    stem = key_file_stem(name)
    private, public = folder / f"{stem}.key", folder / f"{stem}.pub"
    for path in (private, public):
        if path.exists():
            raise TratadoError("a key file of that name already exists; a key is never replaced"
                               " (what it signed could no longer be checked).", file=str(path),
                               fix="choose another NAME, or another folder with --out.")
    signer = SignerKey.generate(name)
    atomic_write(private, signer.secret_text() + "\n", mode=0o600)
    atomic_write(public, f"{signer.verifier}\n")
    return signer.verifier


def _read_small(path: Path, what: str, size: int = _KEY_FILE_BYTES) -> str:
    try:
        if path.stat().st_size > size:
            raise TratadoError(f"this file is too big to be {what}.", file=str(path),
                               fix="give the file you meant.")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise TratadoError(f"cannot read {what} ({reason}).", file=str(path),
                           fix="check the path and that you may read it.") from None


def read_signer(path: Path) -> SignerKey:
    """The signer key in file ``path`` (``TratadoError`` naming the file)."""
    text = _read_small(path, "a signer key")
    try:
        return SignerKey.parse(text.strip())
    except NoteError as error:
        hint = " (this is a verifier key: sign with the .key file)" if not text.startswith(
            "PRIVATE+KEY+") and text.count("+") >= 2 else ""
        raise TratadoError(f"this is not a signer key: {error}{hint}.", file=str(path),
                           fix="give the .key file written by `tratado keys NAME`.") from None


def read_verifier(text: str) -> VerifierKey:
    """A verifier key given as text (``NAME+ID+KEY``) or as the path of a file holding
    one (``TratadoError`` saying which)."""
    source = text
    if not re.fullmatch(r"[^+\s]+\+[0-9a-f]{8}\+\S+", text.strip()) and Path(text).is_file():
        source = _read_small(Path(text), "a verifier key")
    try:
        return VerifierKey.parse(source.strip())
    except NoteError as error:
        raise TratadoError(f"this is not a verifier key: {error}.", field="--key",
                           file=text if source is not text else None,
                           fix="give NAME+KEYID+KEY as `tratado keys` prints it, or its .pub"
                           " file.") from None


def _scenario_for(record: dict[str, Any], log_file: Path, scenario_path: Sequence[str]) -> Any:
    from tratado.formats import load
    from tratado.records import fingerprint, public_fingerprint, resolve_source

    sources = list(scenario_path) or resolve_source(record.get("source"), log_file.parent)
    if not sources:
        raise TratadoError("the record does not say where its scenario is, or the file it names"
                           " is not there.", file=str(log_file), field="source",
                           fix="pass --scenario FILE (the scenario the session ran on).")
    scenario = load(*sources)
    named = record.get("scenario")
    named = named if isinstance(named, dict) else {}
    key, mine = (("public_sha256", public_fingerprint(scenario)) if record.get("view") == "public"
                 else ("sha256", fingerprint(scenario)))
    if named.get(key) != mine:
        raise TratadoError(f"the scenario is not the one the session ran on (scenario.{key}"
                           " differs).", file=str(log_file), field=f"scenario.{key}",
                           fix="pass --scenario with the scenario file the session ran on.")
    return scenario


def bundle_command(log_file: Path, output: Path, key_files: Sequence[Path], origin: str | None,
                   scenario_path: Sequence[str], force: bool, every: int | None = None) -> str:
    """``tratado bundle``: check the record, sign and write the bundle; returns what to
    print."""
    from tratado.records import read_record

    refuse_clashes({"OUTPUT": output}, [log_file, *key_files])
    refuse_overwrite(output, force)
    signers = [read_signer(path) for path in key_files]
    record = read_record(log_file)
    if "tratado_record" not in record:
        raise RecordError("this JSON is not a session record.", file=str(log_file),
                          fix="give the JSON saved by `tratado simulate --log FILE`.")
    scenario = _scenario_for(record, log_file, scenario_path)
    try:
        made = make_bundle(record, scenario, signers, origin, every)
    except (KeyError, TypeError, AttributeError, ValueError):
        raise RecordError("this JSON is not a complete session record.", file=str(log_file),
                          fix="give the JSON saved by `tratado simulate --log FILE`.") from None
    text = bundle_text(made)
    report = verify_bundle(text, [s.verifier for s in signers], scenario)
    if not report.ok:
        raise TratadoError(f"the record does not pass the checks, so nothing was signed:"
                           f" {report.problem}.", file=str(log_file),
                           fix="bundle a record saved by `tratado simulate --log FILE`.")
    atomic_write(output, text)
    names = ", ".join(s.name for s in signers)
    return (f"Bundle written to {output}: {len(made['leaves'])} leaves, the checkpoint signed by"
            f" {names}.")


def verify_command(bundle_file: Path, keys_given: Sequence[str], scenario_path: Sequence[str],
                   saved: Sequence[Path] = ()) -> BundleReport:
    """``tratado verify``: read the keys, the scenario, the saved checkpoints and the
    bundle, and check it."""
    from tratado.records.bundle_check import BundleProblem, check_saved

    keys = [read_verifier(text) for text in keys_given]
    notes = [(str(path), _read_small(path, "a signed checkpoint", 64 * 1024)) for path in saved]
    scenario = None
    if scenario_path:
        from tratado.formats import load

        scenario = load(*scenario_path)
    data = _read_bundle_file(bundle_file)
    report = verify_bundle(data, keys, scenario, str(bundle_file))
    if report.ok:
        report.lines.append(f"file: sha256 {fingerprint_of(data)} (quote it to name this bundle)")
    if report.ok and notes:
        try:
            report.lines += check_saved(data, notes, keys)
        except BundleProblem as problem:
            report.problem = problem.problem
    return report


def cosign_command(bundle_file: Path, key_files: Sequence[Path], scenario_path: Sequence[str]) -> str:
    """``tratado cosign``: check the bundle, then add the co-signatures in place."""
    from tratado.records.bundle import cosign, read_bundle

    signers = [read_signer(path) for path in key_files]
    report = verify_command(bundle_file, (), scenario_path)
    if not report.ok:
        raise TratadoError(f"the bundle does not verify, so it was not co-signed: {report.problem}.",
                           file=str(bundle_file), fix="co-sign only a history you have checked.")
    bundle = read_bundle(_read_bundle_file(bundle_file), str(bundle_file))
    atomic_write(bundle_file, bundle_text(cosign(bundle, signers)))
    return (f"Co-signed {bundle_file} as {', '.join(s.name for s in signers)}; it now carries"
            f" {len(bundle['verifier_keys']) + len(signers)} signatures.")


def _read_bundle_file(path: Path) -> bytes:
    return read_input(path, error=RecordError, what="bundle",
                      fix="give the file written by `tratado bundle`.")
