"""What the commands share: the options declared once, loading a scenario with its
what-ifs, the checks made before any work, and how a mistake is printed."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from tratado.agenda import DEFAULT_ENUMERATION_LIMIT
from tratado.errors import TratadoError


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


without_stakeholders_option = click.option(
    "--without-stakeholders", "alone", is_flag=True,
    help="Run the table alone: leave out the effects of stakeholders away from the table"
         " (by default they are folded into the parties' preferences, as in analyze and"
         " forecast).")


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


def backend_options(command: F) -> F:
    """Where the sessions run, for the commands that run many (tournament, forecast):
    ``--jobs`` (``jobs``), ``--dask-workers`` (``dask_workers``) and ``--scheduler``
    (``scheduler``); :func:`_check_backend` refuses the two Dask ones together."""
    command = click.option(
        "--scheduler", metavar="ADDRESS",
        help="Run on an existing Dask cluster (tcp://HOST:8786; needs tratado[dask]).")(command)
    command = click.option(
        "--dask-workers", type=click.IntRange(min=1), metavar="N",
        help="Run on a local Dask cluster of N worker processes (needs tratado[dask]).")(command)
    return click.option("--jobs", type=click.IntRange(min=1),
                        help="Local worker processes (default: all cores).")(command)


def _check_backend(scheduler: str | None, dask_workers: int | None) -> None:
    if scheduler is not None and dask_workers is not None:
        raise TratadoError("--scheduler and --dask-workers both choose the Dask cluster.",
                           field="--dask-workers",
                           fix="give --scheduler for an existing cluster, or --dask-workers"
                           " for a local one.")


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


def _names() -> str:
    from tratado.protocols import protocol_registry

    return ", ".join(protocol_registry())


def _negotiator_specs(value: str | None, scenario: Any, plugins_apart: bool = False) -> list[Any]:
    """One negotiator per party, built once from its spec here (so a misspelt name, a bad
    parameter or a constructor that raises is reported before anything runs), and handed
    to the session as it is; with ``plugins_apart`` a plug-in stays a spec, not imported
    here (its own process will, see --isolate)."""
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
    built: list[Any] = []
    for spec in specs:
        if plugins_apart and is_plugin(spec):
            built.append(spec)
            continue
        try:
            built.append(create(spec))  # checks the name, the parameters and their values
        except TratadoError:
            raise  # a constructor that raised: said by create, naming the negotiator
        except Exception as exc:  # a user's module may fail to import or build in any way
            raise TratadoError(str(exc).rstrip(".") + ".", field="--negotiators",
                               fix="write NAME or NAME:key=value[:key=value] per party;"
                               " `tratado negotiators` lists the negotiators and their"
                               " parameters.") from None
    return built


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
        elif exc.field and exc.field.startswith("parties["):  # e.g. preferences it cannot use
            exc.located(file=", ".join(scenario) or None)
        raise
    except (TypeError, ValueError) as exc:
        raise TratadoError(f"the '{protocol}' protocol cannot {cannot}: {exc}.",
                           field=field, fix=fix) from None
