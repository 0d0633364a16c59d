"""The commands that read a scenario: ``analyze``, ``check``, ``convert``, ``examples``."""

from __future__ import annotations

from pathlib import Path

import click

from tratado.cli._shared import (
    _check_outputs,
    _dump,
    _load,
    _notes_on_stderr,
    max_outcomes_option,
    output_options,
    reservation_option,
    scenario_argument,
)
from tratado.errors import TratadoError


@click.command()
@scenario_argument
@output_options(
    json_help="Print one JSON document instead of the report.",
    plot_help="Draw the utility space to FILE (.png, .svg or .pdf; needs matplotlib).")
@click.option("--frontier-rows", type=click.IntRange(min=2), default=15, show_default=True,
              help="Efficient packages listed in the report.")
@reservation_option
@max_outcomes_option
@click.option("--without-stakeholders", "alone", is_flag=True,
              help="Analyse the table alone: leave out the effects of stakeholders away from "
                   "the table (by default they are included, and compared with the table alone).")
def analyze(scenario: tuple[str, ...], as_json: bool, plot_file: Path | None, frontier_rows: int,
            reservations: dict[str, float], max_outcomes: int, alone: bool) -> None:
    """What agreements are possible, and which are fair?

    Reports the zone of possible agreement, the exact Pareto frontier, the Nash,
    Kalai–Smorodinsky, egalitarian and utilitarian packages, the opposition level
    and who cares most about which issue. Stakeholders' effects (a linkage such as
    sanctions relief for elections) are included, and the report shows what they
    change against the table alone. A file with uncertain numbers is analysed at its
    estimates (tratado forecast answers for the uncertainty).
    """
    _check_outputs(scenario, plot=plot_file)
    loaded, what_if = _load(scenario, reservations)
    from tratado.analysis import analyze as run_analysis
    from tratado.analysis.space import AnalysisNote

    result = _notes_on_stderr(lambda: run_analysis(loaded, max_outcomes=max_outcomes,
                                                   stakeholders=not alone),
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


@click.command()
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


@click.command()
@scenario_argument
def check(scenario: tuple[str, ...]) -> None:
    """Check a scenario file and summarise it (exit code 2 if it has a mistake).

    Also counts the numbers given as estimates with a range, and the effects of
    stakeholders away from the table. Give - to read a YAML scenario from standard input.
    """
    loaded, _ = _load(scenario, {})
    click.echo(f"{loaded.name}: {loaded.n_parties} parties, {len(loaded.agenda)} issues,"
               f" {loaded.agenda.size:,} outcomes — OK")
    if loaded.uncertainty is not None:
        n = len(loaded.uncertainty)
        click.echo(f"  {n} uncertain number{'s' if n > 1 else ''} (estimates with a range)")
    for holder in loaded.roles.stakeholders:
        if holder.effects:
            n = len(holder.effects)
            click.echo(f"  {holder.name}: {n} effect{'s' if n > 1 else ''} on the parties")


@click.command()
def examples() -> None:
    """List the example scenarios bundled with tratado."""
    import yaml

    from tratado.formats import bundled_examples

    for name, path in bundled_examples().items():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        click.echo(f"{name:<18} {data.get('name', '')}")
