"""The plan of a tournament: which sessions run, in which order, with which seed.

Sessions are numbered from 0 in a fixed order: scenario (in the order given; a folder's
scenarios sorted by path), then protocol, then role assignment, then repetition. An
*assignment* gives one negotiator to each role (party) of the scenario:

* ``roles="all"``: every assignment — every ordered choice of ``n`` negotiators for
  the ``n`` parties (``m! / (m-n)!`` of them for ``m`` negotiators, or ``m ** n`` with
  self-play), so every negotiator plays every role against every set of opponents;
* ``roles="rotations"``: a balanced subset for many parties — every set of ``n``
  negotiators (a multiset with self-play) in each of its cyclic rotations, so within
  each set every member plays every role exactly once (``C(m, n) * n`` assignments
  instead of ``C(m, n) * n!``; the same as ``all`` for two parties);
* ``roles="auto"`` (the default): ``all`` while a scenario has at most
  :data:`MAX_FULL_ASSIGNMENTS` assignments, ``rotations`` beyond.

Without self-play a session never seats the same negotiator spec twice.

Seeds: session ``i``'s seed depends on the tournament seed and the session's identity
only — the scenario's fingerprint, the protocol, the assignment and the repetition —
through ``numpy.random.SeedSequence(seed, spawn_key=...)`` with a spawn key taken from
a SHA-256 of the identity. It does not depend on the session's number, on the other
sessions in the plan, or on the order in which sessions finish, so the results are the
same on one worker or a cluster, and adding a scenario does not change the others.

The plan is lazy: :meth:`Plan.session` computes session ``i`` from ``i``, so a plan of
millions of sessions costs a few lists of assignments.
"""

from __future__ import annotations

import hashlib
import itertools
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from tratado.errors import TratadoError

ROLES = ("auto", "all", "rotations")
MAX_FULL_ASSIGNMENTS = 1000


@dataclass(frozen=True)
class Planned:
    """One session of the plan."""

    session: int
    scenario: int  # index into the tournament's scenarios
    protocol: str
    assignment: tuple[str, ...]  # negotiator spec per party, in party order
    repetition: int
    seed: int


def assignments(negotiators: Sequence[str], n_parties: int, self_play: bool,
                roles: str = "auto") -> list[tuple[str, ...]]:
    """The role assignments for a scenario of ``n_parties`` (see the module docstring)."""
    if roles not in ROLES:
        raise ValueError(f"roles must be one of {', '.join(ROLES)}")
    m = len(negotiators)
    if roles == "auto":
        full = m**n_parties if self_play else _permutations(m, n_parties)
        roles = "all" if full <= MAX_FULL_ASSIGNMENTS else "rotations"
    indices = range(m)
    if roles == "all":
        chosen = (itertools.product(indices, repeat=n_parties) if self_play
                  else itertools.permutations(indices, n_parties))
        return [tuple(negotiators[k] for k in seats) for seats in chosen]
    found: list[tuple[str, ...]] = []
    sets = (itertools.combinations_with_replacement(indices, n_parties) if self_play
            else itertools.combinations(indices, n_parties))
    for members in sets:
        seen: set[tuple[int, ...]] = set()
        for shift in range(n_parties):
            seats = members[shift:] + members[:shift]
            if seats not in seen:
                seen.add(seats)
                found.append(tuple(negotiators[k] for k in seats))
    return found


def _permutations(m: int, n: int) -> int:
    count = 1
    for k in range(n):
        count *= max(m - k, 0)
    return count


def session_seed(seed: int, fingerprint: str, protocol: str, assignment: Sequence[str],
                 repetition: int) -> int:
    """The seed of the session with this identity (a 63-bit integer)."""
    identity = "\0".join([fingerprint, protocol, *assignment, str(repetition)])
    digest = hashlib.sha256(identity.encode("utf-8")).digest()
    key = tuple(int.from_bytes(digest[k:k + 4], "little") for k in range(0, 16, 4))
    state = np.random.SeedSequence(seed, spawn_key=key).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))


class Plan:
    """Every session of a tournament, numbered (see the module docstring).

    ``scenarios``: one ``(fingerprint, n_parties)`` per scenario, in order.
    """

    def __init__(self, scenarios: Sequence[tuple[str, int]], negotiators: Sequence[str],
                 protocols: Sequence[str], repetitions: int, seed: int, *,
                 self_play: bool = False, roles: str = "auto") -> None:
        if repetitions < 1:
            raise ValueError("repetitions must be at least 1")
        self.scenarios = list(scenarios)
        self.protocols = list(protocols)
        self.repetitions = repetitions
        self.seed = seed
        self._assignments: dict[int, list[tuple[str, ...]]] = {}
        for _, n in self.scenarios:
            if n not in self._assignments:
                found = assignments(negotiators, n, self_play, roles)
                if not found:
                    raise TratadoError(
                        f"{len(negotiators)} negotiator(s) cannot fill the {n} roles of a"
                        " scenario without playing against themselves.", field="negotiators",
                        fix=f"name at least {n} negotiators, or allow self-play (--self-play).")
                self._assignments[n] = found
        self._starts: list[int] = []
        total = 0
        for _, n in self.scenarios:
            for _ in self.protocols:
                self._starts.append(total)
                total += len(self._assignments[n]) * repetitions
        self.size = total

    def __len__(self) -> int:
        return self.size

    def assignments_of(self, scenario: int) -> list[tuple[str, ...]]:
        """The role assignments of scenario number ``scenario``."""
        return self._assignments[self.scenarios[scenario][1]]

    def session(self, index: int) -> Planned:
        """Session number ``index``."""
        if not 0 <= index < self.size:
            raise IndexError(index)
        block = bisect_right(self._starts, index) - 1
        scenario, protocol_index = divmod(block, len(self.protocols))
        offset = index - self._starts[block]
        number, repetition = divmod(offset, self.repetitions)
        fingerprint = self.scenarios[scenario][0]
        protocol = self.protocols[protocol_index]
        assignment = self.assignments_of(scenario)[number]
        return Planned(index, scenario, protocol, assignment, repetition,
                       session_seed(self.seed, fingerprint, protocol, assignment, repetition))

    def __iter__(self) -> Iterator[Planned]:
        for index in range(self.size):
            yield self.session(index)
