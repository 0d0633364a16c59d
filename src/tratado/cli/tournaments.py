"""The commands on tournaments: ``tournament`` and ``rank``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from tratado.cli._shared import _check_backend, _dump, backend_options
from tratado.errors import TratadoError


@click.command()
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
@click.option("--without-stakeholders", "alone", is_flag=True, default=None,
              help="Run the table alone: leave out the effects of stakeholders away from the"
              " table (by default they are folded into the parties' preferences, as in"
              " analyze, simulate and forecast).")
@click.option("--allow-plugins", is_flag=True,
              help="Let TOURNAMENT_FILE name plug-ins (module:Class negotiators or"
              " protocols), whose code runs; without it such a file is refused.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Results folder; started again with the same tournament, it resumes.")
@click.option("--records", is_flag=True,
              help="Also save each session's record in DIR/records, for `tratado replay`.")
@click.option("--memory", type=click.IntRange(min=64), metavar="MIB",
              help="Memory each local worker may use; a negotiator that needs more fails"
              " (default: the machine's memory shared out between the workers, at least"
              " 2,048).")
@backend_options
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON, no progress bar.")
def tournament(arguments: tuple[str, ...], negotiator_names: str | None,
               scenario_names: tuple[str, ...], protocol_names: str | None,
               repetitions: int | None, rounds: int | None, seconds: float | None,
               move_budget: float | None, timeout: float | None, seed: int | None,
               self_play: bool | None, roles: str | None, isolate: bool | None,
               alone: bool | None, allow_plugins: bool, jobs: int | None, out: Path,
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
        "stakeholders": False if alone else None,
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
    _check_backend(scheduler, dask_workers)
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


@click.command()
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
