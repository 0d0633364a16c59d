"""The commands that run sessions: ``simulate``, ``compare-agendas``, ``negotiators``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from tratado.cli._shared import (
    _check_outputs,
    _check_protocol,
    _dump,
    _negotiator_specs,
    _notes_on_stderr,
    _protocol_errors,
    _what_if,
    output_options,
    reservation_option,
    scenario_argument,
    without_stakeholders_option,
)


@click.command()
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
@click.option("--distances/--no-distances", default=None,
              help="Measure the outcome against the exact Pareto frontier and the Nash"
                   " package (default: yes, except on a non-linear space too large to list"
                   " whose exact frontier takes far longer than the talks; `tratado"
                   " analyze` computes it).")
@reservation_option
@without_stakeholders_option
def simulate(scenario: tuple[str, ...], protocol: str, negotiator_names: str | None,
             rounds: int | None, seconds: float | None, move_budget: float | None,
             isolate: bool | None, debug: bool, discounting: bool, agreement: str | None,
             seed: int, as_json: bool, log_file: Path | None, plot_file: Path | None,
             moves: int, distances: bool | None, reservations: dict[str, float],
             alone: bool) -> None:
    """How will the talks go under this protocol and these negotiators?

    Runs one simulated negotiation and prints a transcript (who proposed what, in the
    agenda's own words), the result and how good it is: each party's utility and gain
    over its no-deal value, welfare, distance to the Pareto frontier and to the Nash
    package. Stakeholders' effects (a linkage such as sanctions relief for elections)
    are folded into the parties' preferences, after any --reservation what-if, and the
    record says so, for replay.
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

        negotiators = [isolated(s) if isinstance(s, str) and is_plugin(s) else s for s in specs]
    with _protocol_errors(protocol, rounds, scenario):
        simulation = run(base, negotiators, protocol, seed, reservations=reservations,
                         move_budget=move_budget,
                         source=scenario_source(scenario, log_file.parent if log_file else None),
                         stakeholders=not alone,
                         distances=True if plot_file is not None else distances, **options)
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

        ran = simulation.scenario
        plot_session(ran, record, *frontier_and_nash(ran), plot_file)
    if as_json:
        write_record(record, sys.stdout)
        return
    from tratado.report.session_report import render_session

    click.echo(what_if, nl=False)
    click.echo(render_session(simulation.scenario, record, moves), nl=False)
    if not simulation.measured:
        from tratado.report.text import wrap

        click.echo(wrap("Distances to the Pareto frontier and the Nash package: not"
                        " measured — this space is too large to list and its exact frontier"
                        " takes far longer than the talks (`tratado analyze` computes it;"
                        " --distances measures them here)."))
    for path, what in ((log_file, "Session record"), (plot_file, "Plot")):
        if path is not None:
            click.echo(f"{what} written to {path}")


@click.command("compare-agendas")
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
@without_stakeholders_option
def compare_agendas(scenario: tuple[str, ...], protocol: str, negotiator_names: str | None,
                    rounds: int | None, seed: int, as_json: bool,
                    reservations: dict[str, float], alone: bool) -> None:
    """What does settling item by item cost, compared with one package?

    Runs the same talks twice — "nothing is agreed until everything is agreed", then
    point by point with binding partial agreements — and sets the results side by
    side: each party's utility and gain, welfare, distance to the Pareto frontier and
    to the Nash package, and where the two agreements differ.
    """
    from tratado.experiments import compare_agendas as run_both
    from tratado.formats import load
    from tratado.records import build_record
    from tratado.session import evaluate

    base = _notes_on_stderr(lambda: load(*scenario))
    loaded, _ = _what_if(base, reservations)
    specs = _negotiator_specs(negotiator_names, loaded)
    options: dict[str, Any] = {} if rounds is None else {"deadline": rounds}
    with _protocol_errors(protocol, rounds, scenario, fix="use alternating or mediated.",
                          cannot="settle item by item", field="--protocol"):
        runs = run_both(loaded, protocol, specs, seed, stakeholders=not alone, **options)
    ran = runs[0].scenario
    what_if = {"reservation_values": dict(reservations)} if reservations else None
    package, items = (build_record(evaluate(run, ran), base=base, what_if=what_if,
                                   stakeholders=not alone, lazy_log=True) for run in runs)
    if as_json:
        from tratado.session.log_view import write_json

        write_json({"package": package, "item_by_item": items}, sys.stdout.write)
        sys.stdout.write("\n")
        return
    from tratado.report.session_report import render_agenda_comparison

    click.echo(render_agenda_comparison(ran, package, items), nl=False)


@click.command()
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
        if info["large_spaces"]:
            click.echo(f"{'':<18} on spaces too large to list: {info['large_spaces']}")
