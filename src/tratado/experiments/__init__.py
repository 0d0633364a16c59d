"""Experiments: runs of many sessions — today :func:`compare_agendas` (the same talks as
one package and item by item); tournaments and forecasts will live here too.

This layer sits above :mod:`tratado.session` (it builds and runs sessions) and below the
command line; nothing under ``session/``, ``protocols/`` or ``negotiators/`` imports it.
"""

from tratado.experiments.agendas import compare_agendas

__all__ = ["compare_agendas"]
