"""Which sessions a kernel can run, and with which kernel.

A kernel reproduces the built-in negotiators' moves from their parameters, so it runs
only negotiators whose moves it knows exactly: the classes themselves (not
subclasses, which may override a move), with the acceptance rule their class gives by
default. :func:`strategy_of` reads one negotiator; :func:`kernel_for` picks the kernel
of a protocol, or None (the engine runs the session).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Kernels work on ``(samples, packages)`` matrices: agendas beyond this many packages
#: run on the engine (whose negotiators search instead of listing).
KERNEL_PACKAGES = 250_000


@dataclass(frozen=True)
class Strategy:
    """What decides a built-in negotiator's moves.

    ``kind``: ``"frequency"`` (proposes its frequency model's favourite among the
    ``candidates`` packages at or just above its target; accepts an offer worth at least
    its next proposal, or after ``t = 0.98`` any offer worth at least no deal) or
    ``"at-least"`` (the time-based family: proposes the package worth the least at or
    above its target; accepts an offer worth at least its next proposal). Both aim at
    ``best - (best - floor) * t ** (1 / e)`` and vote and respond by it."""

    kind: str
    e: float
    candidates: int = 0


def strategy_of(negotiator: Any) -> Strategy | None:
    """The :class:`Strategy` of a built-in negotiator with its default acceptance rule,
    or None."""
    from tratado.negotiators.acceptance import AcceptNext
    from tratado.negotiators.frequency import FrequencyNegotiator
    from tratado.negotiators.time_based import Boulware, Conceder, Linear, TimeBased

    cls = type(negotiator)
    rule = negotiator.acceptance
    if cls is FrequencyNegotiator:
        if repr(rule) != repr(negotiator.default_acceptance()):
            return None
        return Strategy("frequency", negotiator.e, negotiator.candidates)
    if cls in (TimeBased, Boulware, Linear, Conceder):
        if type(rule) is not AcceptNext or rule.factor != 1.0 or rule.margin != 0.0:
            return None
        return Strategy("at-least", negotiator.e)
    return None


def kernel_for(protocol: Any, negotiators: Sequence[Any], mediator: Any = None) -> Any:
    """The kernel for ``protocol`` (with its default mediator: ``mediator`` None) and
    ``negotiators``, or None when the engine must run the sessions."""
    if mediator is not None:
        return None
    strategies = [strategy_of(n) for n in negotiators]
    if None in strategies:
        return None
    shape = getattr(protocol, "shape", None)
    if shape is None:
        return None
    if math.prod(int(n) for n in shape) > KERNEL_PACKAGES:
        return None
    from tratado.experiments.kernels import alternating, mediated, single_text

    for module in (alternating, single_text, mediated):
        kernel = module.kernel_for(protocol, strategies)
        if kernel is not None:
            return kernel
    return None
