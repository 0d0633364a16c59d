"""The ``tratado`` command: thin — parse, call the library, print.

Every user mistake surfaces as one paragraph on stderr and exit code 2.
"""

from __future__ import annotations

import json
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
        except MemoryError:
            _fail("the computation ran out of memory. Fix: use fewer options or a coarser step,"
                  " or lower --max-outcomes so tratado refuses early.")


def _fail(message: str) -> NoReturn:
    click.echo(f"tratado: error: {message}", err=True)
    sys.exit(2)


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


scenario_argument = click.argument("scenario", nargs=-1, required=True)
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
              help="Draw the utility space to FILE (.png, .svg or .pdf; needs tratado[plot]).")
@click.option("--frontier-rows", type=click.IntRange(min=2), default=15, show_default=True,
              help="Efficient packages listed in the report.")
@max_outcomes_option
def analyze(scenario: tuple[str, ...], as_json: bool, plot_file: Path | None, frontier_rows: int,
            max_outcomes: int) -> None:
    """What agreements are possible, and which are fair?

    Reports the zone of possible agreement, the exact Pareto frontier, the Nash,
    Kalai–Smorodinsky, egalitarian and utilitarian packages, the opposition level
    and who cares most about which issue.
    """
    from tratado.formats import load

    if plot_file is not None:
        from tratado.report.plot import check_plot_target

        check_plot_target(plot_file)
    loaded = load(*scenario)
    from tratado.analysis import analyze as run_analysis

    result = run_analysis(loaded, max_outcomes=max_outcomes)
    if plot_file is not None:
        from tratado.report.plot import plot_analysis

        plot_analysis(result, plot_file)
    if as_json:
        click.echo(_dump(result.to_dict()))
    else:
        from tratado.report.analysis_report import render

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


@cli.command()
def examples() -> None:
    """List the example scenarios bundled with tratado."""
    import yaml

    from tratado.formats import bundled_examples

    for name, path in bundled_examples().items():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        click.echo(f"{name:<18} {data.get('name', '')}")


def main() -> None:
    cli(prog_name="tratado")


if __name__ == "__main__":
    main()
