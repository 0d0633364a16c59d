"""The command on the analysts' actor tables: ``forecast-actors``."""

from __future__ import annotations

from pathlib import Path

import click

from tratado.cli._shared import _check_outputs, _dump, output_options
from tratado.errors import TratadoError


def _resolve(name: str) -> Path:
    path = Path(name)
    if path.exists():
        return path
    from tratado.formats.actors_file import bundled_actor_tables

    bundled = bundled_actor_tables()
    if name in bundled:
        return bundled[name]
    raise TratadoError("the file does not exist.", file=name,
                       fix="check the path; bundled actor tables can be named directly: "
                       + ", ".join(bundled) + ".")


@click.command("forecast-actors")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--rounds", type=click.IntRange(min=0, max=10_000), default=10, show_default=True,
              help="Run the expected utility model for at most this many rounds (it stops"
              " earlier when a round moves no one).")
@click.option("--variant", type=click.Choice(["replication", "text"]), default="replication",
              show_default=True,
              help="The expected utility model as Scholz, Calbert & Smith's published"
              " replication runs it (replication), or as Bueno de Mesquita's text states it"
              " where the two differ (text); docs/actors-models.md says how.")
@click.option("--robustness", "samples", type=click.IntRange(min=0, max=100_000), default=0,
              metavar="N", help="Also rerun every model on N copies of each table with every"
              " estimate moved at random within --spread, and show where 80% of the forecasts"
              " fall (default 0: off).")
@click.option("--spread", type=click.FloatRange(min=0, max=1, max_open=True), default=0.1,
              show_default=True, help="How far --robustness moves each estimate: positions by"
              " up to this share of the scale, saliences by up to this much, capabilities by"
              " up to this factor.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the --robustness samples.")
@output_options(json_help="Print one JSON document: the inputs, the forecasts and each round's"
                " positions per issue.",
                plot_help="Draw each actor's position over the rounds (.png, .svg or .pdf).")
def forecast_actors(files: tuple[str, ...], rounds: int, variant: str, samples: int,
                    spread: float, seed: int, as_json: bool, plot_file: Path | None) -> None:
    """Forecast collective decisions from the actors' capabilities, positions and saliences.

    FILE is a CSV table (columns actor, capability, position, salience, and optionally
    issue and note), a YAML file with an `actors:` section (docs/actors-format.md), or
    the name of a bundled table (ec-car-emissions, venezuela-2021-actors). Prints, per
    issue, the weighted mean, the weighted median, the Nash bargaining solution and
    Bueno de Mesquita's expected utility model, then the model's positions round by
    round. Positions are on the issue's own scale.

    With --json, a one-issue file gives that issue's document: "actors" (the inputs),
    "forecasts" (one position per model), "rounds" (a list whose item k maps each
    actor's name to its position after round k; item 0: the inputs) and
    "expected_utility" (variant, rounds run, whether the positions settled, each round's
    risk exponents and moves), and with --robustness "robustness" (the 10th, 50th and
    90th percentiles of each model's forecast over the samples). Several issues give
    {"issues": [...]} of such documents.
    """
    from tratado.actors import forecast
    from tratado.formats.actors_file import load_actors
    from tratado.report.actors_report import actors_document, actors_report

    _check_outputs(files, plot=plot_file)
    tables = load_actors(*(_resolve(name) for name in files))
    results = [forecast(table, rounds, variant) for table in tables]  # type: ignore[arg-type]
    robust = None
    if samples:
        from tratado.actors.robustness import robustness

        robust = [robustness(table, samples, spread, seed, rounds, variant)  # type: ignore[arg-type]
                  for table in tables]
    if plot_file is not None:
        from tratado.report.actors_plot import save_rounds_plot

        save_rounds_plot(results, plot_file)
    if as_json:
        click.echo(_dump(actors_document(results, robust)))
        return
    click.echo(actors_report(results, robust), nl=False)
    if plot_file is not None:
        click.echo(f"Plot written to {plot_file}")
