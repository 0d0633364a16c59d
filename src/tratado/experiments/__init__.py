"""Experiments: runs of many sessions — tournaments (:class:`Tournament`, ranked by
:class:`Results.ranking`; :mod:`tratado.experiments.tournament`) and
:func:`compare_agendas` (the same talks as one package and item by item); forecasts
will live here too.

This layer sits above :mod:`tratado.session` (it builds and runs sessions) and below the
command line; nothing under ``session/``, ``protocols/`` or ``negotiators/`` imports it.
"""

from tratado.experiments.agendas import compare_agendas
from tratado.experiments.results import Ranking, Results
from tratado.experiments.tournament import Tournament

__all__ = ["Ranking", "Results", "Tournament", "compare_agendas"]
