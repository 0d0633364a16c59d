"""The command on forecasts: ``forecast``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from tratado.cli._shared import (
    _check_backend,
    _check_outputs,
    _dump,
    _notes_on_stderr,
    _what_if,
    backend_options,
    output_options,
    reservation_option,
    scenario_argument,
)


def _mixes(values: tuple[str, ...]) -> list[list[str]] | None:
    return [[spec.strip() for spec in value.split(",")] for value in values] or None


@click.command()
@scenario_argument
@click.option("--samples", type=click.IntRange(min=1), default=9604, show_default=True,
              help="Samples of the uncertain inputs. The default gives the probability of"
              " agreement to ±1 percentage point at 95% confidence, whatever it is"
              " (1.96² × 0.5 × 0.5 / 0.01²).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the samples and of every session: the same seed gives the same"
              " forecast, on any number of workers.")
@click.option("--protocols", "protocol_names", metavar="NAME[,NAME...]",
              default="alternating,single-text,mediated", show_default=True,
              help="The protocols each sample runs under.")
@click.option("--negotiators", "negotiator_mixes", multiple=True, metavar="SPEC[,SPEC...]",
              help="A negotiator mix: one negotiator per party, in party order (default:"
              " frequency for each); repeat the option to compare mixes.")
@click.option("--what-if", "what_ifs", multiple=True, metavar="NAME=VALUE[;...]",
              help="Rerun the forecast on the same samples with changes, separated by ';': a"
              " party's no-deal value (government=0.7), an uncertain input pinned (its key,"
              " as --json lists them in inputs), STAKEHOLDER=off, or a stakeholder's effect"
              " (stakeholders.ID.effects.K.utility=0.1, ...when.ISSUE=OPTION|OPTION); repeat"
              " the option for several what-ifs (docs/forecast-tutorial.md).")
@click.option("--without-stakeholders", is_flag=True,
              help="Forecast the table alone: leave out the stakeholders' effects (by default"
              " they are folded into the parties' preferences).")
@click.option("--rounds", type=click.IntRange(min=1), help="Deadline in rounds (default: the"
              " scenario's).")
@click.option("--move-budget", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Time one move may take; a negotiator that takes longer fails its session.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              default=60.0, show_default=True,
              help="Stop a session still running after this long and count it as failed.")
@click.option("--engine", "on_engine", is_flag=True,
              help="Run every session on the engine, one at a time, instead of running the"
              " sessions of built-in protocols and negotiators in batched kernels: the same"
              " forecast, byte for byte, several times slower (a check).")
@backend_options
@output_options(
    json_help="Print the whole forecast as one JSON document (no progress bar).",
    plot_help="Draw what each agenda item settles on, per protocol, and the tornado plot of"
    " what drives the probability of agreement, to FILE (.png, .svg or .pdf; needs"
    " matplotlib).")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every sample to FILE as CSV: the inputs' values, the Nash"
              " package, and per protocol the agreement, the option of each item, each"
              " party's gain and any failure (one row per sample and what-if).")
@reservation_option
def forecast(scenario: tuple[str, ...], samples: int, seed: int, protocol_names: str,
             negotiator_mixes: tuple[str, ...], what_ifs: tuple[str, ...],
             without_stakeholders: bool, rounds: int | None, move_budget: float | None, timeout: float,
             on_engine: bool, jobs: int | None, dask_workers: int | None, scheduler: str | None,
             as_json: bool, plot_file: Path | None, csv_file: Path | None,
             reservations: dict[str, float]) -> None:
    """How likely is an agreement, and what will it say, given what we do not know?

    Draws SAMPLES samples of the scenario's uncertain inputs, runs each under every
    protocol (and negotiator mix), and reports the probability of agreement per protocol
    with its 95% Wilson interval, what each agenda item settles on, each party's expected
    gain over no deal, how often the Nash package of a sample is the nominal one, and
    which inputs drive the probability of agreement (first-order sensitivity index and
    Spearman's rank correlation; docs/forecast-theory.md). On a scenario with no
    uncertainty, the forecast is the single simulation of each protocol.
    """
    _check_outputs(scenario, plot=plot_file, csv=csv_file)
    _check_backend(scheduler, dask_workers)
    from tratado.experiments.forecast import Forecast
    from tratado.formats import load

    loaded, changed = _what_if(_notes_on_stderr(lambda: load(*scenario)), reservations)
    protocols = [name.strip() for name in protocol_names.split(",") if name.strip()]
    run = Forecast(loaded, samples=samples, seed=seed, protocols=protocols,
                   negotiators=_mixes(negotiator_mixes), what_ifs=list(what_ifs),
                   rounds=rounds, move_budget=move_budget, timeout=timeout,
                   stakeholders=not without_stakeholders, kernels=not on_engine)
    job = run.prepare()
    if job.exact and jobs is None and scheduler is None and dask_workers is None:
        jobs = 0  # one sample: no worker processes to start
    progress: Any = None
    if not as_json and sys.stderr.isatty():
        from tratado.report.progress import ProgressBar

        progress = ProgressBar(sys.stderr)
    try:
        result = run.run(jobs=jobs, scheduler=scheduler, dask_workers=dask_workers,
                         progress=progress)
    except KeyboardInterrupt:
        if progress is not None:
            progress.close()
        click.echo("Interrupted: no forecast (run the same command again to start over).",
                   err=True)
        sys.exit(130)
    finally:
        if progress is not None:
            progress.close()
    document = result.to_dict()
    if csv_file is not None:
        from tratado.experiments.forecast_table import forecast_csv
        from tratado.files import atomic_write

        atomic_write(csv_file, forecast_csv(result))
    if plot_file is not None:
        from tratado.report.forecast_plot import plot_forecast

        plot_forecast(loaded, document, plot_file)
    if as_json:
        click.echo(_dump(document))
        return
    from tratado.report.forecast_report import render_forecast

    click.echo(changed, nl=False)
    click.echo(render_forecast(loaded, document), nl=False)
    written = [f"{what} written to {path}" for path, what in
               ((csv_file, "Samples"), (plot_file, "Plot")) if path is not None]
    if written:
        click.echo("\n" + "\n".join(written))
