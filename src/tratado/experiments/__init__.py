"""Experiments: runs of many sessions — tournaments (:class:`Tournament`, ranked by
:class:`Results.ranking`; :mod:`tratado.experiments.tournament`) and
:func:`compare_agendas` (the same talks as one package and item by item), and forecasts
(:class:`Forecast`: many samples of an uncertain scenario under several protocols;
:mod:`tratado.experiments.forecast`).

This layer sits above :mod:`tratado.session` (it builds and runs sessions) and below the
command line; nothing under ``session/``, ``protocols/`` or ``negotiators/`` imports it.
"""

from tratado.experiments.agendas import compare_agendas
from tratado.experiments.forecast import Forecast
from tratado.experiments.results import Ranking, Results
from tratado.experiments.tournament import Tournament

__all__ = ["Forecast", "Ranking", "Results", "Tournament", "compare_agendas"]
