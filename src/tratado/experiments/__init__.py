"""Experiments: runs of many sessions — tournaments (:mod:`tratado.experiments.tournament`),
and beside them the other runs of many sessions.

This layer sits above :mod:`tratado.session` (it builds and runs sessions) and below the
command line; nothing under ``session/``, ``protocols/`` or ``negotiators/`` imports it.
"""
