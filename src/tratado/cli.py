"""The ``tratado`` command: thin — parse, call the library, print.

Every user mistake surfaces as one paragraph on stderr and exit code 2.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

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


def _load(scenario: tuple[str, ...], reservations: dict[str, float]) -> tuple[Any, str]:
    """Load the scenario and apply any --reservation what-ifs; also the line that tells
    the reader what was changed ("" when nothing was)."""
    from tratado.formats import load

    loaded = load(*scenario)
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


max_outcomes_option = click.option(
    "--max-outcomes", type=click.IntRange(min=1), default=DEFAULT_ENUMERATION_LIMIT,
    show_default=True,
    help="Refuse to enumerate more outcomes than this (linear-additive scenarios never enumerate).")


@click.group(cls=TratadoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="tratado")
def cli() -> None:
    """tratado: prepare, simulate and study mediated negotiations.

    SCENARIO is a tratado YAML file, a GENIUS folder or its XML files, a GeniusWeb
    folder or its JSON files, or the name of a bundled example (see `tratado examples`).
    """


@cli.command()
@scenario_argument
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of the report.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw the utility space to FILE (.png, .svg or .pdf; needs matplotlib).")
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
    if plot_file is not None:
        from tratado.report.plot import check_plot_target

        check_plot_target(plot_file)
    loaded, what_if = _load(scenario, reservations)
    from tratado.analysis import analyze as run_analysis

    result = run_analysis(loaded, max_outcomes=max_outcomes)
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
def convert(source: tuple[str, ...], target: Path, fmt: str | None) -> None:
    """Convert SOURCE (YAML, GENIUS or GeniusWeb) to TARGET.

    A .yaml TARGET gets a tratado scenario; with --to genius or --to geniusweb,
    TARGET is a folder that receives a domain file and one profile per party.
    """
    from tratado.formats import load, save

    written = save(load(*source), target, fmt)
    for path in written:
        click.echo(f"wrote {path}")


@cli.command()
@scenario_argument
def check(scenario: tuple[str, ...]) -> None:
    """Check a scenario file and summarise it (exit code 2 if it has a mistake)."""
    from tratado.formats import load

    loaded = load(*scenario)
    click.echo(f"{loaded.name}: {loaded.n_parties} parties, {len(loaded.agenda)} issues,"
               f" {loaded.agenda.size:,} outcomes — OK")


def _names() -> str:
    from tratado.protocols import protocol_registry

    return ", ".join(protocol_registry())


def _negotiator_specs(value: str | None, scenario: Any) -> list[str]:
    from tratado.negotiators import DEFAULT_NEGOTIATOR, negotiator_class

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
        try:
            negotiator_class(spec)
        except Exception as exc:  # a user's module may fail to import in any way
            raise TratadoError(str(exc).rstrip(".") + ".", field="--negotiators",
                               fix="`tratado negotiators` lists the built-in ones.") from None
    return specs


def _scenario_fingerprint(scenario: Any) -> str:
    import hashlib

    from tratado.formats.yaml_write import dumps_yaml

    return hashlib.sha256(dumps_yaml(scenario).encode("utf-8")).hexdigest()


@cli.command()
@scenario_argument
@click.option("--protocol", default="alternating", show_default=True,
              help="How the talks run: alternating, single-text, mediated, or module:Class.")
@click.option("--negotiators", "negotiator_names", metavar="NAME[,NAME...]",
              help="One negotiator per party, in party order (default: frequency for each).")
@click.option("--rounds", type=click.IntRange(min=1), help="Deadline in rounds (default: the scenario's).")
@click.option("--seconds", type=click.FloatRange(min=0, min_open=True),
              help="Also end the talks after this many seconds of wall-clock time.")
@click.option("--move-budget", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Time one move may take; a negotiator that takes longer is failed and named.")
@click.option("--discounting", is_flag=True,
              help="Apply each party's per-round discount factor (from the scenario) to what any"
              " agreement, or no agreement, is worth.")
@click.option("--agreement", type=click.Choice(["package", "item-by-item"]),
              help="Negotiate the agenda as one package or item by item (default: the scenario's).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of every random choice: the same seed gives the same log.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole session record as JSON.")
@click.option("--log", "log_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also save the session record (JSON) to FILE, for `tratado replay`.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw what was on the table (each party's offers, or the mediator's"
              " texts and proposals and what became of them) over the utility space and"
              " over time, to FILE (.png, .svg or .pdf; needs matplotlib).")
@click.option("--moves", type=click.IntRange(min=2), default=40, show_default=True,
              help="Moves shown in the transcript (first and last ones).")
@reservation_option
def simulate(scenario: tuple[str, ...], protocol: str, negotiator_names: str | None,
             rounds: int | None, seconds: float | None, move_budget: float | None,
             discounting: bool, agreement: str | None,
             seed: int, as_json: bool, log_file: Path | None, plot_file: Path | None,
             moves: int, reservations: dict[str, float]) -> None:
    """How will the talks go under this protocol and these negotiators?

    Runs one simulated negotiation and prints a transcript (who proposed what, in the
    agenda's own words), the result and how good it is: each party's utility and gain
    over its no-deal value, welfare, distance to the Pareto frontier and to the Nash
    package.
    """
    from tratado.files import refuse_clashes

    refuse_clashes({"--log": log_file, "--plot": plot_file}, scenario)
    if plot_file is not None:
        from tratado.report.plot import check_plot_target

        check_plot_target(plot_file)
    loaded, what_if = _load(scenario, reservations)
    specs = _negotiator_specs(negotiator_names, loaded)
    from tratado.protocols import protocol_class

    try:
        protocol_class(protocol)
    except ValueError as exc:
        raise TratadoError(str(exc).rstrip(".") + ".", field="--protocol",
                           fix=f"use one of: {_names()}, or module:Class.") from None
    options: dict[str, Any] = {}
    if rounds is not None:
        options["deadline"] = rounds
    if seconds is not None:
        options["deadline_seconds"] = seconds
    if discounting:
        options["discounting"] = True
    if agreement is not None:
        options["agreement"] = agreement
    from tratado.session import Session, evaluate
    from tratado.session.evaluate import frontier_and_nash

    try:
        result = Session(loaded, protocol, specs, seed, move_budget=move_budget,
                         protocol_options=options).run()
    except (TypeError, ValueError) as exc:
        raise TratadoError(f"the '{protocol}' protocol cannot run with these options: {exc}.",
                           fix="leave out the options this protocol does not take (docs/protocols.md lists"
                           " each protocol's options).") from None
    evaluate(result, loaded)
    record = result.to_dict(timing=False)
    record["scenario_source"] = [str(s) for s in scenario]
    if reservations:
        record["what_if"] = {"reservation_values": reservations}
    record["scenario_sha256"] = _scenario_fingerprint(loaded)
    if log_file is not None:
        log_file.write_text(_dump(record) + "\n", encoding="utf-8")
    if plot_file is not None:
        from tratado.report.session_plot import plot_session

        plot_session(loaded, record, *frontier_and_nash(loaded), plot_file)
    if as_json:
        click.echo(_dump(record))
        return
    from tratado.report.session_report import render_session

    click.echo(what_if, nl=False)
    click.echo(render_session(loaded, record, moves), nl=False)
    for path, what in ((log_file, "Session record"), (plot_file, "Plot")):
        if path is not None:
            click.echo(f"{what} written to {path}")


@cli.command("compare-agendas")
@scenario_argument
@click.option("--protocol", default="alternating", show_default=True,
              help="alternating or mediated (the protocols that can settle item by item).")
@click.option("--negotiators", "negotiator_names", metavar="NAME[,NAME...]",
              help="One negotiator per party, in party order (default: frequency for each).")
@click.option("--rounds", type=click.IntRange(min=1),
              help="Deadline in rounds, shared out between the items (default: the scenario's).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of every random choice.")
@click.option("--json", "as_json", is_flag=True,
              help="Print both session records as one JSON document.")
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
    from tratado.session import compare_agendas as run_both
    from tratado.session import evaluate

    loaded, _ = _load(scenario, reservations)
    specs = _negotiator_specs(negotiator_names, loaded)
    options: dict[str, Any] = {} if rounds is None else {"deadline": rounds}
    try:
        runs = run_both(loaded, protocol, specs, seed, **options)
    except (TypeError, ValueError) as exc:
        raise TratadoError(f"the '{protocol}' protocol cannot settle item by item: {exc}.",
                           field="--protocol", fix="use alternating or mediated.") from None
    package, items = (evaluate(run, loaded).to_dict(timing=False) for run in runs)
    if as_json:
        click.echo(_dump({"package": package, "item_by_item": items}))
        return
    from tratado.report.session_report import render_agenda_comparison

    click.echo(render_agenda_comparison(loaded, package, items), nl=False)


@cli.command()
@click.argument("log_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scenario", "scenario_path", multiple=True,
              help="The scenario the session ran on (default: the one named in the log).")
def replay(log_file: Path, scenario_path: tuple[str, ...]) -> None:
    """Re-run a logged session through its protocol and say whether it reproduces.

    Exit code 0 when every logged event replays and gives the same log and result,
    1 when it does not (the first difference is printed), 2 for unreadable input.
    """
    from tratado.session import check_replay

    try:
        record = json.loads(log_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TratadoError("the file does not exist.", file=str(log_file),
                           fix="give the JSON saved by `tratado simulate --log FILE`.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TratadoError(f"this is not a session record ({exc}).", file=str(log_file),
                           fix="give the JSON saved by `tratado simulate --log FILE` or --json.") from None
    needed = ("protocol", "log", "negotiators", "seed", "result")
    if not isinstance(record, dict) or any(key not in record for key in needed):
        raise TratadoError("this JSON is not a session record.", file=str(log_file),
                           field=", ".join(needed),
                           fix="give the JSON saved by `tratado simulate --log FILE` or --json.")
    recorded = record.get("scenario_source")
    if not scenario_path and recorded is not None and (
            not isinstance(recorded, list) or not all(isinstance(s, str) for s in recorded)):
        raise TratadoError("the log names its scenario in a form tratado cannot read.",
                           file=str(log_file), field="scenario_source",
                           fix="pass --scenario FILE.")
    sources = scenario_path or tuple(recorded or ())
    if not sources:
        raise TratadoError("the log does not say which scenario it ran on.", file=str(log_file),
                           field="scenario_source", fix="pass --scenario FILE.")
    what_if = record.get("what_if") or {}
    reservations = what_if.get("reservation_values") if isinstance(what_if, dict) else None
    if not isinstance(reservations, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in reservations.values()):
        reservations = {}
    scenario, _ = _load(tuple(sources), {str(k): float(v) for k, v in reservations.items()})
    expected = record.get("scenario_sha256")
    if expected and expected != _scenario_fingerprint(scenario):
        click.echo("warning: the scenario differs from the one the session ran on.", err=True)
    problem = check_replay(scenario, record)
    if problem is None:
        click.echo(f"Reproduces: {len(record['log'])} events replayed through the "
                   f"'{record['protocol']['name']}' protocol give the same log and result.")
        return
    click.echo(f"Does not reproduce: {problem}.")
    sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the listing as JSON.")
def negotiators(as_json: bool) -> None:
    """List the negotiators `simulate --negotiators` can name, with their metadata."""
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
               self_play: bool | None, roles: str | None, jobs: int | None, out: Path,
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
        "self_play": self_play, "roles": roles,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if tournament_file is not None:
        settings = load_settings(tournament_file)
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
