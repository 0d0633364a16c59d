"""The commands on session records: ``replay``, ``public-record``, ``keys``, ``bundle``,
``cosign``, ``verify``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tratado.errors import TratadoError


@click.command()
@click.argument("log_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scenario", "scenario_path", multiple=True,
              help="The scenario the session ran on (default: the record's source, found from"
              " the record's folder).")
@click.option("--allow-plugins", is_flag=True,
              help="Let the record's module:Class negotiators and protocol be imported (runs"
              " their code: only for records you trust).")
def replay(log_file: Path, scenario_path: tuple[str, ...], allow_plugins: bool) -> None:
    """Rebuild a logged session, run it again and say whether it reproduces.

    The scenario (its fingerprint checked), protocol, negotiators with their
    parameters and seed come from the record; every derived value is recomputed, and
    the new record must equal LOG_FILE byte for byte in canonical form. Only
    registered negotiators and protocols are loaded unless --allow-plugins is given.

    Exit code 0: it reproduces. 1: it does not (the first difference is printed).
    3: only the rules were checked (the negotiators could not be re-run, or the
    session depended on the clock; the reason is printed). 2: unreadable input.
    """
    from tratado.records import read_record, resolve_source
    from tratado.session.replay import DIFFERS, REPRODUCES, verify

    record = read_record(log_file)
    if "tratado_record" not in record:
        raise TratadoError("this JSON is not a session record (it has no 'tratado_record' format"
                           " version; records from tratado before format 1 lack it too).",
                           file=str(log_file), field="tratado_record",
                           fix="give the JSON saved by `tratado simulate --log FILE`, or run"
                           " the simulation again to get a record in the current format.")
    if scenario_path:
        sources: list[str] | None = list(scenario_path)
    else:
        sources = resolve_source(record.get("source"), log_file.parent)
        if sources is None:
            what = ("a public record carries no file paths, so it does not say where its"
                    " scenario is." if record.get("view") == "public" else
                    "the record does not say where its scenario is, or the file it names is"
                    " not there.")
            raise TratadoError(what, file=str(log_file), field="source",
                               fix="pass --scenario FILE (the scenario the session ran on).")
    from tratado.formats import load

    verdict = verify(load(*(sources or ())), record, allow_plugins=allow_plugins)
    click.echo(str(verdict))
    if verdict.status == DIFFERS:
        sys.exit(1)
    if verdict.status != REPRODUCES:
        sys.exit(3)


@click.command("public-record")
@click.argument("log_file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def public_record_command(log_file: Path, output: Path, force: bool) -> None:
    """Write the public record of LOG_FILE to OUTPUT: what may be shared.

    Keeps who proposed or answered what and when, the agreement and how the talks
    ended; drops every utility, gain, welfare and distance, the what-ifs, the
    negotiators and seed, the fingerprint of the preferences and the file paths.
    """
    from tratado.files import atomic_writer, refuse_clashes, refuse_overwrite
    from tratado.records import RecordError, public_record, read_record, write_record

    refuse_clashes({"OUTPUT": output}, [log_file])
    refuse_overwrite(output, force)
    record = read_record(log_file)
    try:
        public = public_record(record)
    except (KeyError, TypeError, AttributeError, ValueError):
        raise RecordError("this JSON is not an analyst's session record.", file=str(log_file),
                          fix="give the JSON saved by `tratado simulate --log FILE`.") from None
    with atomic_writer(output) as out:
        write_record(public, out)  # type: ignore[arg-type]
    click.echo(f"Public record written to {output}")


@click.command()
@click.argument("name")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The folder for NAME.key (private) and NAME.pub.")
def keys(name: str, folder: Path) -> None:
    """Make an Ed25519 key pair named NAME to sign bundles (needs tratado[sign]).

    Writes the private signer key to NAME.key, readable by you alone (mode 0600),
    and the public verifier key to NAME.pub; refuses to replace either. Prints the
    verifier key: hand it to whoever will check what you sign. Keep NAME.key secret.
    """
    from tratado.records.signing import write_key_pair

    verifier = write_key_pair(name, folder)
    click.echo(verifier)


@click.command()
@click.argument("log_file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "key_files", multiple=True, required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="A signer key file from `tratado keys` (repeatable: each one co-signs).")
@click.option("--origin", help="The log's name on the checkpoint (default: tratado/session/ and"
              " the start of the root hash).")
@click.option("--every", type=click.IntRange(min=1), metavar="LEAVES",
              help="Also sign a checkpoint after every LEAVES leaves, as a live service does as"
              " the talks go, each with its consistency proof to the final one.")
@click.option("--scenario", "scenario_path", multiple=True,
              help="The scenario the session ran on (default: the record's source).")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def bundle(log_file: Path, output: Path, key_files: tuple[Path, ...], origin: str | None,
           every: int | None, scenario_path: tuple[str, ...], force: bool) -> None:
    """Write a verifiable bundle of the session in LOG_FILE to OUTPUT.

    The bundle holds the public record (nothing confidential) as an append-only
    Merkle log, one leaf per event, with a checkpoint signed by every --key, and the
    signers' verifier keys. The events are checked against the protocol's rules
    before anything is signed. Anyone can then run `tratado verify OUTPUT` offline.
    """
    from tratado.records.signing import bundle_command

    click.echo(bundle_command(log_file, output, key_files, origin, scenario_path, force, every))


@click.command()
@click.argument("bundle_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "key_files", multiple=True, required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Your signer key file from `tratado keys` (repeatable).")
@click.option("--scenario", "scenario_path", multiple=True,
              help="Your copy of the scenario: also checks the talks ran on it.")
def cosign(bundle_file: Path, key_files: tuple[Path, ...], scenario_path: tuple[str, ...]) -> None:
    """Co-sign the checkpoint of a verifiable bundle, in place.

    The bundle is checked first, as `tratado verify` does; only a bundle that verifies
    is co-signed. A head of delegation's co-signature says: I saw this exact history,
    so the service cannot show different histories to different parties unnoticed.
    """
    from tratado.records.signing import cosign_command

    click.echo(cosign_command(bundle_file, key_files, scenario_path))


@click.command("verify")
@click.argument("bundle_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "keys_given", multiple=True,
              help="A verifier key NAME+ID+KEY, or a .pub file holding one, obtained from a"
              " signer (repeatable; each must have signed the checkpoint or, a head's, one the"
              " bundle carries co-signed). Without --key the bundle's own keys are used and"
              " reported as self-asserted.")
@click.option("--scenario", "scenario_path", multiple=True,
              help="Your copy of the scenario: also checks the talks ran on it.")
@click.option("--checkpoint", "saved", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A signed checkpoint you saved during the talks (repeatable): the bundle must"
              " extend the history it signs.")
def verify_command(bundle_file: Path, keys_given: tuple[str, ...],
                   scenario_path: tuple[str, ...], saved: tuple[Path, ...]) -> None:
    """Check a verifiable bundle offline: signatures, log, proofs and rules.

    Checks every signature on the checkpoint, that the leaves give the signed root,
    every inclusion and consistency proof, every head's co-signature of an earlier
    checkpoint the bundle carries (and says who vouched for what), any checkpoint you
    saved (--checkpoint), and that the events, replayed through the protocol, follow
    the rules and give the recorded agreement and result.

    Exit code 0: everything verifies. 1: something does not (the message says where:
    which leaf or event, which signature, which field). 2: unreadable input.
    """
    from tratado.records.signing import verify_command as check

    report = check(bundle_file, keys_given, scenario_path, saved)
    click.echo(str(report))
    if not report.ok:
        sys.exit(1)
