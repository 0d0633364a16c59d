"""The ``tratado`` command: thin — parse, call the library, print.

Every user mistake surfaces as one paragraph on stderr and exit code 2.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from tratado import __version__
from tratado.agenda import DEFAULT_ENUMERATION_LIMIT
from tratado.errors import TratadoError


class TratadoGroup(click.Group):
    """Turns :class:`TratadoError` (and unreadable files) into clean exit-2 messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TratadoError as exc:
            _fail(str(exc))
        except OSError as exc:  # a file the user named cannot be written or read
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}. Fix: check that the folder exists and that"
                  " you may write there.")
        except MemoryError:
            _fail("the computation ran out of memory. Fix: use fewer options or a coarser step,"
                  " or lower --max-outcomes so tratado refuses early.")


def _fail(message: str) -> NoReturn:
    click.echo(f"tratado: error: {message}", err=True)
    sys.exit(2)


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


F = TypeVar("F", bound=Callable[..., Any])

scenario_argument = click.argument("scenario", nargs=-1, required=True)


def _parse_reservations(ctx: click.Context, param: click.Parameter,
                        values: tuple[str, ...]) -> dict[str, float]:
    parsed: dict[str, float] = {}
    for text in values:
        party, sep, number = text.partition("=")
        try:
            parsed[party.strip()] = float(number)
        except ValueError:
            sep = ""
        if not sep or not party.strip():
            raise click.BadParameter(f"'{text}' is not PARTY=VALUE (e.g. government=0.75).")
    return parsed


reservation_option = click.option(
    "--reservation", "reservations", multiple=True, metavar="PARTY=VALUE",
    callback=_parse_reservations,
    help="What if a party's no-deal value were VALUE? (repeatable; the file is not changed)")


def _notes_on_stderr(action: Any, notes: tuple[type[Warning], ...] = ()) -> Any:
    """Run ``action()``, printing each FormatNote it gives (files ignored, what a conversion
    cannot keep), and each warning of the ``notes`` kinds, as a ``tratado: note:`` line on
    stderr."""
    import warnings

    from tratado.formats import FormatNote

    kinds: tuple[type[Warning], ...] = (FormatNote, *notes)
    with warnings.catch_warnings(record=True) as caught:
        for kind in kinds:
            warnings.simplefilter("always", kind)
        try:
            return action()
        finally:
            for warning in caught:
                if issubclass(warning.category, kinds):
                    click.echo(f"tratado: note: {warning.message}", err=True)
                else:
                    warnings.showwarning(warning.message, warning.category, warning.filename,
                                         warning.lineno)


def _load(scenario: tuple[str, ...], reservations: dict[str, float]) -> tuple[Any, str]:
    """Load the scenario (``-``: YAML on standard input) and apply any --reservation
    what-ifs; also the line that tells the reader what was changed ("" when nothing was)."""
    from tratado.formats import load

    return _what_if(_notes_on_stderr(lambda: load(*scenario)), reservations)


def _what_if(loaded: Any, reservations: dict[str, float]) -> tuple[Any, str]:
    """``loaded`` with the --reservation what-ifs applied, and the line that says so."""
    if not reservations:
        return loaded, ""
    try:
        changed = loaded.with_reservation_values(reservations)
    except TratadoError as exc:
        raise TratadoError(exc.message, field="--reservation", fix=exc.fix) from None
    changes = ", ".join(
        f"{party} {loaded.party(party).preferences.reservation_value:.2f} -> {value:.2f}"
        for party, value in reservations.items())
    return changed, f"What-if (the file is unchanged): no-deal values {changes}.\n"


def output_options(*, json_help: str, plot_help: str | None = None,
                   log_help: str | None = None) -> Callable[[F], F]:
    """The output options every command shares, declared once: ``--json`` (``as_json``),
    and where the command has them ``--log FILE`` (``log_file``) and ``--plot FILE``
    (``plot_file``). Each command says what it prints or writes."""

    def decorate(command: F) -> F:
        if plot_help is not None:
            command = click.option("--plot", "plot_file",
                                   type=click.Path(dir_okay=False, path_type=Path),
                                   help=plot_help)(command)
        if log_help is not None:
            command = click.option("--log", "log_file",
                                   type=click.Path(dir_okay=False, path_type=Path),
                                   help=log_help)(command)
        return click.option("--json", "as_json", is_flag=True, help=json_help)(command)

    return decorate


def _check_outputs(inputs: tuple[str, ...], **outputs: Path | None) -> None:
    """Before any work: refuse an output that is an input or another output (``--log
    mine.yaml`` on ``mine.yaml``, ``--log same.png --plot same.png``), and a plot whose
    format cannot be drawn."""
    from tratado.files import refuse_clashes

    refuse_clashes({f"--{name}": path for name, path in outputs.items()},
                   [name for name in inputs if Path(name).exists()])
    plot = outputs.get("plot")
    if plot is not None:
        from tratado.report.plot import check_plot_target

        check_plot_target(plot)


max_outcomes_option = click.option(
    "--max-outcomes", type=click.IntRange(min=1), default=DEFAULT_ENUMERATION_LIMIT,
    show_default=True,
    help="Refuse to enumerate more outcomes than this (linear-additive frontiers never"
         " enumerate; two-party non-linear ones beyond it are found by mixed-integer"
         " programming, with the 'huge' extra). Frontiers of many parties are bounded by"
         " their work instead: TRATADO_LIMIT_ANALYSIS_WORK.")


@click.group(cls=TratadoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="tratado")
def cli() -> None:
    """tratado: prepare, simulate and study mediated negotiations.

    SCENARIO is a tratado YAML file (- reads one from standard input), a GENIUS folder
    or its XML files, a GeniusWeb folder or its JSON files, or the name of a bundled
    example (see `tratado examples`).
    """


@cli.command()
@scenario_argument
@output_options(
    json_help="Print one JSON document instead of the report.",
    plot_help="Draw the utility space to FILE (.png, .svg or .pdf; needs matplotlib).")
@click.option("--frontier-rows", type=click.IntRange(min=2), default=15, show_default=True,
              help="Efficient packages listed in the report.")
@reservation_option
@max_outcomes_option
def analyze(scenario: tuple[str, ...], as_json: bool, plot_file: Path | None, frontier_rows: int,
            reservations: dict[str, float], max_outcomes: int) -> None:
    """What agreements are possible, and which are fair?

    Reports the zone of possible agreement, the exact Pareto frontier, the Nash,
    Kalai–Smorodinsky, egalitarian and utilitarian packages, the opposition level
    and who cares most about which issue.
    """
    _check_outputs(scenario, plot=plot_file)
    loaded, what_if = _load(scenario, reservations)
    from tratado.analysis import analyze as run_analysis
    from tratado.analysis.space import AnalysisNote

    result = _notes_on_stderr(lambda: run_analysis(loaded, max_outcomes=max_outcomes),
                              (AnalysisNote,))
    if plot_file is not None:
        from tratado.report.plot import plot_analysis

        plot_analysis(result, plot_file)
    if as_json:
        document = result.to_dict()
        if reservations:
            document["what_if"] = {"reservation_values": reservations}
        click.echo(_dump(document))
    else:
        from tratado.report.analysis_report import render

        click.echo(what_if, nl=False)
        click.echo(render(result, frontier_rows), nl=False)
        if plot_file is not None:
            click.echo(f"\nPlot written to {plot_file}")


@cli.command()
@click.argument("source", nargs=-1, required=True)
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--to", "fmt", type=click.Choice(["yaml", "genius", "geniusweb"]),
              help="Output format (default: yaml for a .yaml target).")
@click.option("--force", is_flag=True,
              help="Replace TARGET if it exists (a folder is replaced as a whole).")
def convert(source: tuple[str, ...], target: Path, fmt: str | None, force: bool) -> None:
    """Convert SOURCE (YAML, GENIUS or GeniusWeb; - reads YAML from standard input) to TARGET.

    A .yaml TARGET gets a tratado scenario; with --to genius or --to geniusweb,
    TARGET is a folder that receives a domain file, one profile per party and
    tratado.json (the rules and numeric issues those formats cannot hold). An
    existing TARGET is refused unless --force is given. What the target format
    cannot hold is said on stderr, one line per loss.
    """
    from tratado.files import refuse_clashes
    from tratado.formats import save

    inputs = [s for s in source if s != "-" and Path(s).exists()]
    refuse_clashes({"TARGET": target}, inputs)
    for given in inputs:
        if target.is_dir() and Path(given).resolve().is_relative_to(target.resolve()):
            raise TratadoError("the source lies inside the target folder, which --force would "
                               "replace.", file=str(target), fix="write to another folder.")
    loaded, _ = _load(source, {})
    written = _notes_on_stderr(lambda: save(loaded, target, fmt, overwrite=force))
    for path in written:
        click.echo(f"wrote {path}")


@cli.command()
@scenario_argument
def check(scenario: tuple[str, ...]) -> None:
    """Check a scenario file and summarise it (exit code 2 if it has a mistake).

    Give - to read a YAML scenario from standard input.
    """
    loaded, _ = _load(scenario, {})
    click.echo(f"{loaded.name}: {loaded.n_parties} parties, {len(loaded.agenda)} issues,"
               f" {loaded.agenda.size:,} outcomes — OK")


def _names() -> str:
    from tratado.protocols import protocol_registry

    return ", ".join(protocol_registry())


def _negotiator_specs(value: str | None, scenario: Any, plugins_apart: bool = False) -> list[str]:
    """The negotiator specs, one per party, each checked by building it once; with
    ``plugins_apart`` a plug-in is not imported here (its own process will, see --isolate)."""
    from tratado.negotiators import DEFAULT_NEGOTIATOR
    from tratado.negotiators.plugins import create, is_plugin

    ids = scenario.party_ids
    specs = [v.strip() for v in value.split(",")] if value else [DEFAULT_NEGOTIATOR] * len(ids)
    if len(specs) != len(ids):
        raise TratadoError(
            f"{len(specs)} negotiator(s) for {len(ids)} parties ({', '.join(ids)}).",
            field="--negotiators",
            fix="give one name per party, in party order, separated by commas.")
    if any(":" in spec for spec in specs) and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # module:Class is looked up from the current folder too
    for spec in specs:
        if plugins_apart and is_plugin(spec):
            continue
        try:
            create(spec)  # builds it once: checks the name, the parameters and their values
        except TratadoError:
            raise  # a constructor that raised: said by create, naming the negotiator
        except Exception as exc:  # a user's module may fail to import or build in any way
            raise TratadoError(str(exc).rstrip(".") + ".", field="--negotiators",
                               fix="write NAME or NAME:key=value[:key=value] per party;"
                               " `tratado negotiators` lists the negotiators and their"
                               " parameters.") from None
    return specs


@cli.command()
@scenario_argument
@click.option("--protocol", default="alternating", show_default=True,
              help="How the talks run: alternating, single-text, mediated, or module:Class.")
@click.option("--negotiators", "negotiator_names", metavar="NAME[,NAME...]",
              help="One negotiator per party, in party order (default: frequency for each);"
              " parameters after the name: boulware:e=0.3, frequency:e=0.5:candidates=32.")
@click.option("--rounds", type=click.IntRange(min=1), help="Deadline in rounds (default: the scenario's).")
@click.option("--seconds", type=click.FloatRange(min=0, min_open=True),
              help="Also end the talks after this many seconds of wall-clock time.")
@click.option("--move-budget", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Time one move may take; a negotiator that takes longer is failed and named.")
@click.option("--isolate/--no-isolate", default=None,
              help="Run plug-in negotiators (module:Class, or registered by another package)"
              " each in a process of its own, where it sees only its own preferences and a"
              " move that never returns is stopped (default: on with --move-budget or"
              " --seconds).")
@click.option("--debug", is_flag=True,
              help="After a negotiator's failure, also print the last lines of its traceback.")
@click.option("--discounting", is_flag=True,
              help="Apply each party's per-round discount factor (from the scenario) to what any"
              " agreement, or no agreement, is worth.")
@click.option("--agreement", type=click.Choice(["package", "item-by-item"]),
              help="Negotiate the agenda as one package or item by item (default: the scenario's).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of every random choice: the same seed gives the same log.")
@output_options(
    json_help="Print the whole session record as JSON.",
    log_help="Also save the session record (JSON) to FILE, for `tratado replay`.",
    plot_help="Draw what was on the table (each party's offers, or the mediator's"
    " texts and proposals and what became of them) over the utility space and"
    " over time, to FILE (.png, .svg or .pdf; needs matplotlib).")
@click.option("--moves", type=click.IntRange(min=2), default=40, show_default=True,
              help="Moves shown in the transcript (first and last ones).")
@reservation_option
def simulate(scenario: tuple[str, ...], protocol: str, negotiator_names: str | None,
             rounds: int | None, seconds: float | None, move_budget: float | None,
             isolate: bool | None, debug: bool, discounting: bool, agreement: str | None,
             seed: int, as_json: bool, log_file: Path | None, plot_file: Path | None,
             moves: int, reservations: dict[str, float]) -> None:
    """How will the talks go under this protocol and these negotiators?

    Runs one simulated negotiation and prints a transcript (who proposed what, in the
    agenda's own words), the result and how good it is: each party's utility and gain
    over its no-deal value, welfare, distance to the Pareto frontier and to the Nash
    package.
    """
    _check_outputs(scenario, log=log_file, plot=plot_file)
    from tratado.formats import load

    base = _notes_on_stderr(lambda: load(*scenario))
    loaded, what_if = _what_if(base, reservations)
    from tratado.negotiators.plugins import is_plugin

    plugins = [s.strip() for s in (negotiator_names or "").split(",") if is_plugin(s.strip())]
    if isolate is None:
        isolate = bool(plugins) and (move_budget is not None or seconds is not None)
        if isolate:
            click.echo(f"note: running {', '.join(plugins)} in a process of its own, so that"
                       " --move-budget and --seconds hold even on a move that never returns"
                       " (--no-isolate keeps plug-ins in this process).", err=True)
    specs = _negotiator_specs(negotiator_names, loaded, plugins_apart=isolate)
    _check_protocol(protocol)
    options: dict[str, Any] = {key: value for key, value in (
        ("deadline", rounds), ("deadline_seconds", seconds), ("agreement", agreement))
        if value is not None}
    if discounting:
        options["discounting"] = True
    from tratado.records import scenario_source, write_record
    from tratado.session.simulation import simulate as run

    negotiators: list[Any] = list(specs)
    if isolate:
        from tratado.negotiators.isolated import isolated

        negotiators = [isolated(s) if is_plugin(s) else s for s in specs]
    with _protocol_errors(protocol, rounds, scenario):
        simulation = run(base, negotiators, protocol, seed, reservations=reservations,
                         move_budget=move_budget,
                         source=scenario_source(scenario, log_file.parent if log_file else None),
                         **options)
    if debug:  # on stderr, never in the record
        for party, text in simulation.tracebacks.items():
            click.echo(f"Traceback of {party}'s negotiator (last lines):\n{text}", err=True)
    record = simulation.record  # its log is built as it is written, entry by entry
    if log_file is not None:
        from tratado.files import atomic_writer

        with atomic_writer(log_file) as out:
            write_record(record, out)  # type: ignore[arg-type]
    if plot_file is not None:
        from tratado.report.session_plot import plot_session
        from tratado.session.evaluate import frontier_and_nash

        plot_session(loaded, record, *frontier_and_nash(loaded), plot_file)
    if as_json:
        write_record(record, sys.stdout)
        return
    from tratado.report.session_report import render_session

    click.echo(what_if, nl=False)
    click.echo(render_session(loaded, record, moves), nl=False)
    for path, what in ((log_file, "Session record"), (plot_file, "Plot")):
        if path is not None:
            click.echo(f"{what} written to {path}")


def _check_protocol(protocol: str) -> None:
    from tratado.protocols import protocol_class

    try:
        protocol_class(protocol)
    except ValueError as exc:
        raise TratadoError(str(exc).rstrip(".") + ".", field="--protocol",
                           fix=f"use one of: {_names()}, or module:Class.") from None


@contextmanager
def _protocol_errors(protocol: str, rounds: int | None, scenario: tuple[str, ...] = (),
                     fix: str = "leave out the options this protocol does not take"
                     " (docs/protocols.md lists each protocol's options).",
                     cannot: str = "run with these options",
                     field: str | None = None) -> Iterator[None]:
    """A protocol that refuses its options is the user's mistake: say which (``--rounds``,
    or the scenario file's ``rules.deadline``), or that the protocol ``cannot`` do it."""
    try:
        yield
    except TratadoError as exc:
        if exc.field == "deadline" and rounds is not None:
            exc.field = "--rounds"
        elif exc.field == "deadline":
            exc.field = "rules.deadline"
            exc.located(file=", ".join(scenario) or None)
        raise
    except (TypeError, ValueError) as exc:
        raise TratadoError(f"the '{protocol}' protocol cannot {cannot}: {exc}.",
                           field=field, fix=fix) from None


@cli.command("compare-agendas")
@scenario_argument
@click.option("--protocol", default="alternating", show_default=True,
              help="alternating or mediated (the protocols that can settle item by item).")
@click.option("--negotiators", "negotiator_names", metavar="NAME[,NAME...]",
              help="One negotiator per party, in party order (default: frequency for each).")
@click.option("--rounds", type=click.IntRange(min=1),
              help="Deadline in rounds, shared out between the items (default: the scenario's).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of every random choice.")
@output_options(json_help="Print both session records as one JSON document.")
@reservation_option
def compare_agendas(scenario: tuple[str, ...], protocol: str, negotiator_names: str | None,
                    rounds: int | None, seed: int, as_json: bool,
                    reservations: dict[str, float]) -> None:
    """What does settling item by item cost, compared with one package?

    Runs the same talks twice — "nothing is agreed until everything is agreed", then
    point by point with binding partial agreements — and sets the results side by
    side: each party's utility and gain, welfare, distance to the Pareto frontier and
    to the Nash package, and where the two agreements differ.
    """
    from tratado.experiments import compare_agendas as run_both
    from tratado.records import build_record
    from tratado.session import evaluate

    loaded, _ = _load(scenario, reservations)
    specs = _negotiator_specs(negotiator_names, loaded)
    options: dict[str, Any] = {} if rounds is None else {"deadline": rounds}
    with _protocol_errors(protocol, rounds, scenario, fix="use alternating or mediated.",
                          cannot="settle item by item", field="--protocol"):
        runs = run_both(loaded, protocol, specs, seed, **options)
    package, items = (build_record(evaluate(run, loaded), lazy_log=True) for run in runs)
    if as_json:
        from tratado.session.log_view import write_json

        write_json({"package": package, "item_by_item": items}, sys.stdout.write)
        sys.stdout.write("\n")
        return
    from tratado.report.session_report import render_agenda_comparison

    click.echo(render_agenda_comparison(loaded, package, items), nl=False)


@cli.command()
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


@cli.command("public-record")
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command("verify")
@click.argument("bundle_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "keys_given", multiple=True,
              help="A verifier key NAME+ID+KEY, or a .pub file holding one, obtained from a"
              " signer (repeatable; each must have signed). Without --key the bundle's own keys"
              " are used and reported as self-asserted.")
@click.option("--scenario", "scenario_path", multiple=True,
              help="Your copy of the scenario: also checks the talks ran on it.")
@click.option("--checkpoint", "saved", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A signed checkpoint you saved during the talks (repeatable): the bundle must"
              " extend the history it signs.")
def verify_command(bundle_file: Path, keys_given: tuple[str, ...],
                   scenario_path: tuple[str, ...], saved: tuple[Path, ...]) -> None:
    """Check a verifiable bundle offline: signatures, log, proofs and rules.

    Checks every signature on the checkpoint, that the leaves give the signed root,
    every inclusion and consistency proof, any checkpoint you saved (--checkpoint),
    and that the events, replayed through the protocol, follow the rules and give
    the recorded agreement and result.

    Exit code 0: everything verifies. 1: something does not (the message says where:
    which leaf or event, which signature, which field). 2: unreadable input.
    """
    from tratado.records.signing import verify_command as check

    report = check(bundle_file, keys_given, scenario_path, saved)
    click.echo(str(report))
    if not report.ok:
        sys.exit(1)


@cli.command()
@output_options(json_help="Print the listing as JSON.")
def negotiators(as_json: bool) -> None:
    """List the negotiators `simulate --negotiators` can name, with their metadata and
    parameters (set one as NAME:key=value, e.g. boulware:e=0.3)."""
    from tratado.negotiators import describe, registered

    listing = {name: describe(cls) for name, cls in registered().items()}
    if as_json:
        click.echo(_dump(listing))
        return
    for name, info in listing.items():
        traits = [key.replace("_", " ") for key in ("stochastic", "time_based", "uses_opponent_model")
                  if info.get(key)]
        extra = f" [{', '.join(traits)}]" if traits else ""
        click.echo(f"{name:<18} {info['description']}{extra}")
        if info["params"]:
            shown = ", ".join(f"{key}={value}" for key, value in info["params"].items())
            click.echo(f"{'':<18} parameters: {shown}")


@cli.command()
def examples() -> None:
    """List the example scenarios bundled with tratado."""
    import yaml

    from tratado.formats import bundled_examples

    for name, path in bundled_examples().items():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        click.echo(f"{name:<18} {data.get('name', '')}")


@cli.command()
@click.argument("arguments", nargs=-1, metavar="[TOURNAMENT_FILE] [SCENARIO...]")
@click.option("--negotiators", "negotiator_names", metavar="SPEC[,SPEC...]",
              help="The negotiators that compete: names with parameters (boulware:e=0.2) or"
              " module:Class.")
@click.option("--scenarios", "scenario_names", multiple=True, metavar="SCENARIO",
              help="A scenario file, folder (searched recursively) or bundled example;"
              " the scenarios may follow one --scenarios, separated by spaces.")
@click.option("--protocols", "protocol_names", metavar="NAME[,NAME...]",
              help="Protocols to play, comma-separated (default: alternating).")
@click.option("--repetitions", type=click.IntRange(min=1), help="Sessions per role assignment"
              " (default 1).")
@click.option("--rounds", type=click.IntRange(min=1), help="Deadline in rounds (default: each"
              " scenario's).")
@click.option("--seconds", type=click.FloatRange(min=0, min_open=True),
              help="Also end each session after this many seconds of wall-clock time.")
@click.option("--move-budget", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Time one move may take; a negotiator that takes longer fails its session.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop a session still running after this long and record it as failed"
              " (default 60).")
@click.option("--seed", type=int, help="Tournament seed; each session's seed derives from it"
              " and the session's identity (default 0).")
@click.option("--self-play", is_flag=True, default=None, help="Let a negotiator meet itself.")
@click.option("--roles", type=click.Choice(["auto", "all", "rotations"]),
              help="Every role assignment (all), a balanced subset (rotations), or all while"
              " a scenario has at most 1,000 assignments (auto, the default).")
@click.option("--isolate", is_flag=True, default=None,
              help="Run each plug-in negotiator (module:Class, or registered by another"
              " package) in a process of its own, where it sees only its own preferences.")
@click.option("--allow-plugins", is_flag=True,
              help="Let TOURNAMENT_FILE name plug-ins (module:Class negotiators or"
              " protocols), whose code runs; without it such a file is refused.")
@click.option("--jobs", type=click.IntRange(min=1), help="Local worker processes (default: all"
              " cores).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Results folder; started again with the same tournament, it resumes.")
@click.option("--records", is_flag=True,
              help="Also save each session's record in DIR/records, for `tratado replay`.")
@click.option("--memory", type=click.IntRange(min=64), metavar="MIB",
              help="Memory each local worker may use; a negotiator that needs more fails"
              " (default: the machine's memory shared out between the workers, at least"
              " 2,048).")
@click.option("--dask-workers", type=click.IntRange(min=1), metavar="N",
              help="Run on a local Dask cluster of N worker processes (needs tratado[dask]).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on an existing Dask cluster (tcp://HOST:8786; needs tratado[dask]).")
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON, no progress bar.")
def tournament(arguments: tuple[str, ...], negotiator_names: str | None,
               scenario_names: tuple[str, ...], protocol_names: str | None,
               repetitions: int | None, rounds: int | None, seconds: float | None,
               move_budget: float | None, timeout: float | None, seed: int | None,
               self_play: bool | None, roles: str | None, isolate: bool | None,
               allow_plugins: bool, jobs: int | None, out: Path,
               records: bool, memory: int | None, dask_workers: int | None,
               scheduler: str | None, as_json: bool) -> None:
    """Which negotiator does best, over many sessions?

    Plays every negotiator in every role of every scenario, under each protocol,
    REPETITIONS times; writes one row per session to OUT/sessions.parquet and prints
    the ranking (as `tratado rank OUT`). TOURNAMENT_FILE (YAML, see
    docs/tournament-format.md) gives the same settings as a file; options given
    beside it override its fields. Everything is checked before the first session.
    Started again with the same tournament and OUT, it runs only what is missing.
    """
    import dataclasses

    tournament_file, extra = _tournament_arguments(arguments)
    if extra:
        if not scenario_names:
            raise TratadoError(f"'{extra[0]}' is neither a tournament file nor a scenario of"
                               " --scenarios.", field="TOURNAMENT_FILE",
                               fix="give one tournament file (it starts with"
                               " 'tratado-tournament: 1'), or scenarios after --scenarios.")
        scenario_names = scenario_names + extra

    from tratado.experiments.tournament import Tournament
    from tratado.experiments.tournament_file import Settings, load_settings

    given: dict[str, Any] = {
        "negotiators": tuple(n.strip() for n in negotiator_names.split(","))
        if negotiator_names else None,
        "scenarios": tuple(scenario_names) or None,
        "protocols": tuple(p.strip() for p in protocol_names.split(","))
        if protocol_names else None,
        "repetitions": repetitions, "rounds": rounds, "seconds": seconds,
        "move_budget": move_budget, "timeout": timeout, "seed": seed,
        "self_play": self_play, "roles": roles, "isolate": isolate,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if tournament_file is not None:
        settings = load_settings(tournament_file)
        if not allow_plugins:
            _refuse_file_plugins(tournament_file, settings, changes)
        if "scenarios" in changes:
            changes["fingerprints"] = ()
        settings = dataclasses.replace(settings, **changes)
    else:
        for needed in ("negotiators", "scenarios"):
            if needed not in changes:
                raise TratadoError(f"no {needed} given.", field=f"--{needed}",
                                   fix=f"pass --{needed} (or a tournament file).")
        settings = Settings(**changes)
    if scheduler is not None and dask_workers is not None:
        raise TratadoError("--scheduler and --dask-workers both choose the Dask cluster.",
                           field="--dask-workers",
                           fix="give --scheduler for an existing cluster, or --dask-workers"
                           " for a local one.")
    progress = None
    if not as_json and sys.stderr.isatty():
        from tratado.report.progress import ProgressBar

        progress = ProgressBar(sys.stderr)
    try:
        results = Tournament.from_settings(settings).run(
            out, jobs=jobs, scheduler=scheduler, dask_workers=dask_workers, records=records,
            memory=None if memory is None else memory * 1024 * 1024, progress=progress)
    except KeyboardInterrupt:
        if progress is not None:
            progress.close()
        click.echo(f"Interrupted. The sessions finished so far are kept in {out}; run the"
                   " same command again to run the others.", err=True)
        sys.exit(130)
    finally:
        if progress is not None:
            progress.close()
    _print_ranking(results, as_json, None, f"Results written to {out}")


def _refuse_file_plugins(path: Path, settings: Any, changes: dict[str, Any]) -> None:
    """A tournament file is data someone may have sent: the plug-ins it names (code that
    would run here) need --allow-plugins, as a record's do for replay."""
    from tratado.experiments.specs import plugin

    named = [] if "negotiators" in changes else [
        s for s in settings.negotiators if plugin(s)]
    named += [] if "protocols" in changes else [p for p in settings.protocols if ":" in p]
    if named:
        raise TratadoError(
            f"the file names plug-ins, whose code would run here: {', '.join(named)}.",
            file=str(path), field="negotiators" if plugin(named[0]) else "protocols",
            fix="if you trust them (and the modules in this folder), pass --allow-plugins;"
            " --isolate also runs each plug-in negotiator in a process of its own.")


def _tournament_arguments(arguments: tuple[str, ...]) -> tuple[Path | None, tuple[str, ...]]:
    """The tournament file (the first argument, when it is one) and the other arguments
    (scenarios that followed --scenarios)."""
    if not arguments:
        return None, ()
    first = Path(arguments[0])
    if first.suffix.lower() in (".yaml", ".yml") and first.is_file():
        with first.open("rb") as handle:
            head = handle.read(4096)
        if b"tratado-tournament" in head:
            return first, arguments[1:]
    return None, arguments


def _print_ranking(results: Any, as_json: bool, plot_file: Path | None, footer: str) -> None:
    ranking = results.ranking()
    if plot_file is not None:
        from tratado.report.ranking_plot import plot_ranking

        plot_ranking(ranking, plot_file)
    if as_json:
        click.echo(_dump(ranking.to_dict()))
        return
    from tratado.report.ranking import render_ranking

    click.echo(render_ranking(ranking), nl=False)
    click.echo(f"\n{footer}")
    if plot_file is not None:
        click.echo(f"Plot written to {plot_file}")


@cli.command()
@click.argument("results", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as one JSON document.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw the ranking with its intervals and the pairwise differences to FILE"
              " (.png, .svg or .pdf; needs matplotlib).")
def rank(results: Path, as_json: bool, plot_file: Path | None) -> None:
    """Rank the negotiators of a finished tournament, with confidence intervals.

    RESULTS is a results folder written by `tratado tournament --out` (or its
    sessions.parquet). Prints each negotiator's mean advantage with a 95% bootstrap
    interval, agreement rate, distances to Pareto and Nash and failures; the pairwise
    differences with Holm-corrected p-values; and the breakdown by scenario and protocol.
    """
    if plot_file is not None:
        from tratado.report.plot import check_plot_target

        check_plot_target(plot_file)
    from tratado.experiments.results import Results

    _print_ranking(Results.read(results), as_json, plot_file, f"Results read from {results}")


def main() -> None:
    cli(prog_name="tratado")


if __name__ == "__main__":
    main()
