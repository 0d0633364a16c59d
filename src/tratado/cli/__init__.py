"""The ``tratado`` command: thin — parse, call the library, print.

Every user mistake surfaces as one paragraph on stderr and exit code 2.
"""

from __future__ import annotations

from typing import Any

import click

from tratado import __version__
from tratado.cli import actors, analysis, forecast, records, service, simulation, tournaments
from tratado.cli._shared import _fail
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


@click.group(cls=TratadoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="tratado")
def cli() -> None:
    """tratado: prepare, simulate and study mediated negotiations.

    SCENARIO is a tratado YAML file (- reads one from standard input), a GENIUS folder
    or its XML files, a GeniusWeb folder or its JSON files, or the name of a bundled
    example (see `tratado examples`).
    """


for _command in (analysis.analyze, analysis.convert, analysis.check, simulation.simulate,
                 simulation.compare_agendas, records.replay, records.public_record_command,
                 records.keys, records.bundle, records.cosign, records.verify_command,
                 simulation.negotiators, analysis.examples, tournaments.tournament,
                 tournaments.rank, forecast.forecast, actors.forecast_actors, service.serve,
                 service.export_record):
    cli.add_command(_command)  # in this order: `tratado --help` sorts, docs/cli.md does not


def main() -> None:
    cli(prog_name="tratado")
