"""What we do not know about a scenario: its uncertain inputs, and drawing them together.

Nobody outside a delegation knows its preferences exactly. A scenario file may give any
number a party's preferences hold (an issue weight, an option's value, the reservation
value, a rule's bonus) or a stakeholder's effect as an *estimate with its uncertainty*
(``docs/scenario-format.md``). The scenario itself holds the estimates, so everything
that reads one exact scenario works unchanged; :attr:`Scenario.uncertainty
<tratado.scenario.Scenario.uncertainty>` lists the uncertain inputs.

Each :class:`UncertainInput` has a stable dotted *key* naming where it sits::

    parties.<party>.weights.<issue>             an issue weight
    parties.<party>.values.<issue>.<option>     an option's value
    parties.<party>.reservation                 the no-deal (reservation) value
    parties.<party>.rules.<k>.bonus             a rule's bonus (constraints preferences)
    parties.<party>.outcomes.<k>.utility        a listed package's utility (table preferences)
    parties.<party>.default                     the utility of every other package (table)
    parties.<party>.base.weights.<issue>        the same inside a constraints base
    parties.<party>.base.values.<issue>.<option>
    stakeholders.<id>.effects.<k>.utility       a stakeholder's effect on agreements
    stakeholders.<id>.effects.<k>.no_deal       a stakeholder's effect on no deal

The contract of :meth:`Uncertainty.sample`: draws are vectorised (one array per input),
every draw lies in its input's ``[low, high]``, and the uncertain weights of one party
are drawn *jointly* so that every row's weights (with the party's exact weights) still
sum to one:

* weights that vary as a whole with a *concentration* ``c`` (distribution
  ``dirichlet``): ``w = T * Dirichlet(c * w0 / T)`` where ``w0`` are the estimates and
  ``T`` their sum, so the mean is the estimate and a larger ``c`` means less spread;
* weights with ranges of their own: each is drawn from its distribution, then the row
  is moved onto the weights that sum to ``T`` within their ranges by the Euclidean
  projection ``w_i = clip(x_i + t, low_i, high_i)`` with one ``t`` per row (found by
  bisection); a row that already sums to ``T`` is unchanged.

:meth:`Uncertainty.scenario_at` turns one row back into an exact scenario: array updates
of the preferences only (no re-validation: the draws are valid by construction), so
forecasts can call it 10^4–10^5 times.

An uncertainty *describes* the scenario it came with: each input's estimate is the number
the scenario holds at its key. A copy of the scenario with new preferences (say
``dataclasses.replace(scenario, parties=...)``) would otherwise be written, fingerprinted
and forecast with the old estimates, so :meth:`Uncertainty.check` refuses an uncertainty
that no longer describes its scenario, and :class:`~tratado.scenario.Scenario` runs it
whenever one is built or copied with an uncertainty. The copy is refused, not silently
made exact: dropping the uncertainty would turn a forecast into a single simulation
without a word. Say what is meant instead: ``uncertainty=None`` (the new scenario is
exact), an :class:`Uncertainty` whose estimates are the new numbers, or the what-ifs
that know which numbers they fix (:meth:`~tratado.scenario.Scenario.with_reservation_values`,
:func:`tratado.stakeholders.with_effect`). A copy that changes only exact numbers, names
or notes keeps its uncertainty.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from tratado.errors import ScenarioError
from tratado.preferences import Constraints, LinearAdditive, Preferences, Rule, Table

if TYPE_CHECKING:
    from tratado.scenario import Scenario

DISTRIBUTIONS = ("uniform", "triangular", "pert", "normal", "dirichlet")
"""``uniform`` on [low, high]; ``triangular`` with its mode at the estimate; ``pert``
(a Beta on [low, high] with its mode at the estimate and shape ``shape``, 4 by default);
``normal`` with mean the estimate and standard deviation ``sd``, truncated to [low,
high]; ``dirichlet``: a party's weights as a whole, with a ``concentration``."""

_BISECTION_STEPS = 100
T = TypeVar("T")

__all__ = ["DISTRIBUTIONS", "UncertainInput", "Uncertainty", "project_to_sum"]


@dataclass(frozen=True)
class UncertainInput:
    """One number of the scenario given as an estimate with its uncertainty.

    ``nominal`` is the estimate (what ``analyze`` uses, and the value the scenario
    holds); every draw lies in ``[low, high]``. ``sd`` applies to ``normal``,
    ``shape`` to ``pert``, ``concentration`` to ``dirichlet``.
    """

    key: str
    label: str
    nominal: float
    low: float
    high: float
    distribution: str = "triangular"
    sd: float | None = None
    shape: float = 4.0
    concentration: float | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        for name in ("nominal", "low", "high"):
            if not math.isfinite(getattr(self, name)):
                raise ScenarioError(f"{self.key}: the {name} is not a finite number.", field=self.key,
                                    fix="give ordinary numbers.")
        if self.distribution not in DISTRIBUTIONS:
            raise ScenarioError(
                f"{self.key}: unknown distribution '{self.distribution}'.", field=self.key,
                fix=f"use one of: {', '.join(DISTRIBUTIONS)}.")
        if self.low > self.high:
            raise ScenarioError(
                f"{self.key}: low {self.low:g} is above high {self.high:g}.", field=self.key,
                fix="give the range as low, then high.")
        if not self.low <= self.nominal <= self.high:
            raise ScenarioError(
                f"{self.key}: the estimate {self.nominal:g} is outside its range "
                f"[{self.low:g}, {self.high:g}].", field=self.key,
                fix="widen the range or move the estimate into it.")
        if self.distribution == "normal" and not (self.sd is not None and self.sd > 0):
            raise ScenarioError(f"{self.key}: a normal distribution needs a positive 'sd'.",
                                field=self.key, fix="add e.g. 'sd: 0.05'.")
        if self.distribution == "pert" and not self.shape > 0:
            raise ScenarioError(f"{self.key}: the PERT shape {self.shape:g} is not positive.",
                                field=self.key, fix="leave it out (4) or give a positive number.")
        if self.distribution == "dirichlet" and not (
                self.concentration is not None and self.concentration > 0):
            raise ScenarioError(f"{self.key}: weights that vary as a whole need a positive"
                                " concentration.", field=self.key,
                                fix="give e.g. 'weights_concentration: 50'.")

    @property
    def weight_group(self) -> str | None:
        """The weights this input is drawn with (``parties.<party>[.base]``), or None."""
        head, _, issue = self.key.rpartition(".weights.")
        return head if head.startswith("parties.") and issue else None

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent draws (not for ``dirichlet``, which is drawn per party)."""
        low, high, mode = self.low, self.high, self.nominal
        if high == low:
            return np.full(n, low)
        if self.distribution == "uniform":
            return rng.uniform(low, high, n)
        if self.distribution == "triangular":
            return np.clip(rng.triangular(low, mode, high, n), low, high)
        if self.distribution == "pert":
            a = 1 + self.shape * (mode - low) / (high - low)
            b = 1 + self.shape * (high - mode) / (high - low)
            return np.clip(low + (high - low) * rng.beta(a, b, n), low, high)
        if self.distribution == "normal":
            return _truncated_normal(rng, n, mode, float(self.sd or 0.0), low, high)
        raise ValueError(f"{self.key}: {self.distribution} draws are made per party")


def shallow_copy(obj: T) -> T:
    """A shallow copy of a dataclass instance without running its checks (the values
    copied were checked when it was built): ``copy.copy`` at a fraction of the cost."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _truncated_normal(rng: np.random.Generator, n: int, mean: float, sd: float, low: float,
                     high: float) -> np.ndarray:
    """Rejection: draw the normal, redraw what falls outside [low, high]."""
    out = rng.normal(mean, sd, n)
    for _ in range(1000):
        bad = np.flatnonzero((out < low) | (out > high))
        if not bad.size:
            return out
        out[bad] = rng.normal(mean, sd, bad.size)
    return np.clip(out, low, high)  # only for a range far narrower than sd


def project_to_sum(x: np.ndarray, low: np.ndarray, high: np.ndarray, total: float) -> np.ndarray:
    """Each row of ``x`` moved to ``clip(x + t, low, high)`` summing to ``total``.

    The Euclidean projection onto ``{w : sum(w) = total, low <= w <= high}``, with one
    shift ``t`` per row found by bisection (the sum is monotone in ``t``). Needs
    ``sum(low) <= total <= sum(high)``.
    """
    lo_t = np.min(low - x, axis=1)
    hi_t = np.max(high - x, axis=1)
    done = np.abs(x.sum(axis=1) - total) <= 1e-12
    for _ in range(_BISECTION_STEPS):
        mid = (lo_t + hi_t) / 2
        over = np.clip(x + mid[:, None], low, high).sum(axis=1) > total
        hi_t = np.where(over, mid, hi_t)
        lo_t = np.where(over, lo_t, mid)
    moved = np.clip(x + ((lo_t + hi_t) / 2)[:, None], low, high)
    return np.where(done[:, None], x, moved)


@dataclass(frozen=True, eq=False)
class Uncertainty:
    """The uncertain inputs of a scenario, drawn together.

    ``anchors`` (optional) maps ``parties.<party>[.base].values.<issue>`` of a numeric
    issue whose values were given at a few points to the positions of those points:
    values between are interpolated again from the drawn points.
    """

    inputs: tuple[UncertainInput, ...]
    anchors: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for item in self.inputs:
            if item.key in seen:
                raise ScenarioError(f"{item.key} is uncertain twice.", field=item.key,
                                    fix="give each number once.")
            seen.add(item.key)
        for group, columns in self.weight_groups().items():
            kinds = {self.inputs[c].distribution == "dirichlet" for c in columns}
            if len(kinds) > 1:
                raise ScenarioError(
                    f"{group}: some weights vary as a whole and some have ranges of their own.",
                    field=f"{group}.weights",
                    fix="use either 'weights_concentration' or ranges on single weights.")
        object.__setattr__(self, "_plans", {})

    def __len__(self) -> int:
        return len(self.inputs)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.inputs)

    @property
    def nominal(self) -> np.ndarray:
        """The row of estimates: ``scenario_at(scenario, nominal)`` is the scenario."""
        return np.array([item.nominal for item in self.inputs], dtype=float)

    @property
    def low(self) -> np.ndarray:
        return np.array([item.low for item in self.inputs], dtype=float)

    @property
    def high(self) -> np.ndarray:
        return np.array([item.high for item in self.inputs], dtype=float)

    def weight_groups(self) -> dict[str, tuple[int, ...]]:
        """``{parties.<party>[.base]: input positions of its uncertain weights}``."""
        groups: dict[str, list[int]] = {}
        for column, item in enumerate(self.inputs):
            group = item.weight_group
            if group is not None:
                groups.setdefault(group, []).append(column)
        return {group: tuple(columns) for group, columns in groups.items()}

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` joint draws of every input: shape ``(n, len(inputs))``.

        Columns are drawn in input order from ``rng`` (a party's weights at its first
        weight), so the same generator state gives the same rows.
        """
        rows = np.empty((n, len(self.inputs)))
        groups = self.weight_groups()
        group_of = {c: g for g, columns in groups.items() for c in columns}
        drawn: set[int] = set()
        for column, item in enumerate(self.inputs):
            if column in drawn:
                continue
            if item.distribution == "dirichlet":
                members = list(groups[group_of[column]])
                means = self.nominal[members]
                total = float(means.sum())
                alpha = float(item.concentration or 0.0) * means / total
                rows[:, members] = np.clip(total * rng.dirichlet(alpha, n), self.low[members],
                                           self.high[members])
                drawn.update(members)
            else:
                rows[:, column] = item.draw(rng, n)
        for group in groups.values():
            cols = list(group)
            if self.inputs[cols[0]].distribution != "dirichlet":
                rows[:, cols] = project_to_sum(rows[:, cols], self.low[cols], self.high[cols],
                                               float(self.nominal[cols].sum()))
        return rows

    def scenario_at(self, nominal: Scenario, row: np.ndarray) -> Scenario:
        """The exact scenario with the inputs set to ``row`` (the rest as in ``nominal``);
        its ``uncertainty`` is None, and its stakeholders' effects hold the drawn numbers
        (fold them in with :func:`tratado.stakeholders.with_stakeholders`)."""
        row = np.asarray(row, dtype=float)
        if row.shape != (len(self.inputs),):
            raise ValueError(f"a row of {len(self.inputs)} values is needed, not {row.shape}")
        plan = self._plan(nominal)
        parties = list(nominal.parties)
        for index, changes in plan.parties.items():
            party = shallow_copy(parties[index])
            object.__setattr__(party, "preferences", _apply(party.preferences, changes, row))
            parties[index] = party
        scenario = shallow_copy(nominal)
        object.__setattr__(scenario, "parties", tuple(parties))
        object.__setattr__(scenario, "uncertainty", None)  # one draw is an exact scenario
        if plan.effects:
            from tratado.stakeholders import with_effect_values
            object.__setattr__(scenario, "roles", with_effect_values(nominal.roles, plan.effects, row))
        return scenario

    def fixing(self, keys: Iterable[str]) -> Uncertainty | None:
        """The uncertainty less the inputs whose numbers a change sets exactly: ``keys``
        names them (a key ending in ``.`` names every input under it); None when no input
        is left. What a what-if uses, so that the copy it makes is still described."""
        exact = tuple(keys)
        kept = tuple(item for item in self.inputs if not any(
            item.key == key or (key.endswith(".") and item.key.startswith(key)) for key in exact))
        if len(kept) == len(self.inputs):
            return self
        return Uncertainty(kept, self.anchors) if kept else None

    def check(self, scenario: Scenario) -> None:
        """Refuse (:class:`~tratado.errors.ScenarioError`) a ``scenario`` these inputs do
        not describe: an input whose key names nothing there, or whose estimate is not the
        number the scenario holds at its key (to 1e-9), or a numeric issue given at a few
        points whose other values are not the interpolation of those points (a draw would
        replace them). See the module docstring for why this refuses rather than drops."""
        plan = _compile(self, scenario)
        held = _held(plan, scenario, len(self.inputs))
        for item, value in zip(self.inputs, held.tolist(), strict=True):
            if not math.isclose(value, item.nominal, rel_tol=1e-9, abs_tol=1e-12):
                raise ScenarioError(
                    f"the uncertain input '{item.key}' has the estimate {item.nominal:g}, but "
                    f"scenario '{scenario.name}' holds {value:g} there: the uncertainty "
                    "describes other preferences (a copy with new preferences kept the old "
                    "estimates).", field=item.key, fix=_STALE_FIX)
        for index, changes in plan.parties.items():
            _check_anchors(changes, scenario.parties[index].preferences, scenario)

    def _plan(self, scenario: Scenario) -> _Plan:
        plans: dict[int, tuple[Scenario, _Plan]] = self._plans  # type: ignore[attr-defined]
        cached = plans.get(id(scenario))
        if cached is not None and cached[0] is scenario:
            return cached[1]
        plan = _compile(self, scenario)
        if len(plans) > 8:
            plans.clear()
        plans[id(scenario)] = (scenario, plan)
        return plan


# -- scenario_at: where each column goes -----------------------------------------------
@dataclass
class _Changes:
    """The columns that change one set of preferences (and its base)."""

    weights: list[tuple[int, int]] = field(default_factory=list)  # (issue position, column)
    values: list[tuple[int, int, int]] = field(default_factory=list)  # (issue, option, column)
    anchors: dict[int, tuple[np.ndarray, tuple[int, ...]]] = field(default_factory=dict)
    # issue -> (its numeric option values, the positions given in the file)
    reservation: int | None = None
    bonuses: list[tuple[int, int]] = field(default_factory=list)  # (rule, column)
    entries: list[tuple[int, int]] = field(default_factory=list)  # (table entry, column)
    default: int | None = None  # a table's utility of the packages it does not list
    base: _Changes | None = None


@dataclass
class _Plan:
    parties: dict[int, _Changes]
    effects: list[tuple[int, int, str, int]]  # (stakeholder, effect, field, column)


def _compile(uncertainty: Uncertainty, scenario: Scenario) -> _Plan:
    plan = _Plan({}, [])
    party_index = {party.id: k for k, party in enumerate(scenario.parties)}
    stakeholders = scenario.roles.stakeholders
    holder_index = {holder.key: k for k, holder in enumerate(stakeholders)}
    for column, item in enumerate(uncertainty.inputs):
        head, _, rest = item.key.partition(".")
        name, _, rest = rest.partition(".")
        try:
            if head == "parties":
                changes = plan.parties.setdefault(party_index[name], _Changes())
                prefs = scenario.parties[party_index[name]].preferences
                if rest.startswith("base."):
                    changes.base = changes.base or _Changes()
                    changes, rest = changes.base, rest[len("base."):]
                    if not isinstance(prefs, Constraints) or prefs.base is None:
                        raise KeyError(rest)
                    prefs = prefs.base
                _place(changes, rest, column, scenario, prefs, uncertainty.anchors,
                       item.key.rpartition(".values.")[0] + ".values.")
            elif head == "stakeholders":
                effect, _, what = rest.removeprefix("effects.").partition(".")
                holder = holder_index[name]
                if what not in ("utility", "no_deal") or not rest.startswith("effects."):
                    raise KeyError(rest)
                if not 0 <= int(effect) < len(stakeholders[holder].effects):
                    raise KeyError(effect)
                plan.effects.append((holder, int(effect), what, column))
            else:
                raise KeyError(head)
        except (KeyError, ValueError, IndexError, ScenarioError):
            raise ScenarioError(f"the uncertain input '{item.key}' names nothing in scenario "
                                f"'{scenario.name}'.", field=item.key,
                                fix="use a key as listed in tratado.uncertainty.") from None
    return plan


_STALE_FIX = ("give the copy uncertainty=None (exact), or an Uncertainty whose estimates are"
              " the new numbers; Scenario.with_reservation_values and"
              " tratado.stakeholders.with_effect fix the numbers they set.")


def _held(plan: _Plan, scenario: Scenario, n: int) -> np.ndarray:
    """The numbers ``scenario`` holds where ``plan`` puts each column (the reverse of
    :func:`_apply`)."""
    held = np.full(n, np.nan)

    def read(prefs: Preferences, changes: _Changes) -> None:
        if isinstance(prefs, LinearAdditive):
            for issue, column in changes.weights:
                held[column] = prefs.weights[issue]
            for issue, option, column in changes.values:
                held[column] = prefs.values[issue][option]
        if isinstance(prefs, Table):
            utilities = list(prefs.entries.values())
            for entry, column in changes.entries:
                held[column] = utilities[entry]
            if changes.default is not None:
                held[changes.default] = prefs.default
        if isinstance(prefs, Constraints):
            for rule, column in changes.bonuses:
                held[column] = prefs.rules[rule].bonus
            if changes.base is not None and prefs.base is not None:
                read(prefs.base, changes.base)
        if changes.reservation is not None:
            held[changes.reservation] = prefs.reservation_value

    for index, changes in plan.parties.items():
        read(scenario.parties[index].preferences, changes)
    holders = scenario.roles.stakeholders
    for holder, effect, name, column in plan.effects:
        held[column] = getattr(holders[holder].effects[effect], name)
    return held


def _check_anchors(changes: _Changes, prefs: Preferences, scenario: Scenario) -> None:
    if isinstance(prefs, Constraints) and changes.base is not None and prefs.base is not None:
        _check_anchors(changes.base, prefs.base, scenario)
    if not isinstance(prefs, LinearAdditive):
        return
    for issue, (xs, points) in changes.anchors.items():
        known = list(points)
        values = prefs.values[issue]
        between = np.interp(xs, xs[known], values[known])
        if not np.allclose(values, between, rtol=1e-9, atol=1e-12):
            name = scenario.agenda.issues[issue].name
            raise ScenarioError(
                f"issue '{name}': scenario '{scenario.name}' has values between the points"
                " its uncertainty draws that are not their interpolation (a draw would"
                " replace them): the uncertainty describes other preferences.",
                field=f"values.{name}", fix=_STALE_FIX)


def _place(changes: _Changes, rest: str, column: int, scenario: Scenario, prefs: Preferences,
           anchors: Mapping[str, tuple[int, ...]], values_key: str) -> None:
    agenda = scenario.agenda
    kind, _, rest = rest.partition(".")
    if kind == "reservation" and not rest:
        changes.reservation = column
    elif kind == "weights" and isinstance(prefs, LinearAdditive):
        changes.weights.append((agenda.position(rest), column))
    elif kind == "values" and isinstance(prefs, LinearAdditive):
        issue_name, _, option = rest.partition(".")
        issue = agenda.position(issue_name)
        changes.values.append((issue, agenda.issues[issue].index(option), column))
        if values_key + issue_name in anchors:
            changes.anchors[issue] = (agenda.issues[issue].numeric_values(),
                                      tuple(anchors[values_key + issue_name]))
    elif kind == "outcomes" and isinstance(prefs, Table):
        entry, _, what = rest.partition(".")
        if what != "utility" or not 0 <= int(entry) < len(prefs.entries):
            raise KeyError(rest)
        changes.entries.append((int(entry), column))
    elif kind == "default" and not rest and isinstance(prefs, Table):
        changes.default = column
    elif kind == "rules" and isinstance(prefs, Constraints):
        rule, _, what = rest.partition(".")
        if what != "bonus" or not 0 <= int(rule) < len(prefs.rules):
            raise KeyError(rest)
        changes.bonuses.append((int(rule), column))
    else:
        raise KeyError(kind)


def _apply(prefs: Preferences, changes: _Changes, row: np.ndarray) -> Preferences:
    new = shallow_copy(prefs)
    if isinstance(new, LinearAdditive) and (changes.weights or changes.values):
        weights = new.weights.copy()
        for issue, column in changes.weights:
            weights[issue] = row[column]
        values = list(new.values)
        touched = {issue for issue, _, _ in changes.values}
        for issue in touched:
            values[issue] = values[issue].copy()
        for issue, option, column in changes.values:
            values[issue][option] = row[column]
        for issue, (xs, points) in changes.anchors.items():
            known = list(points)
            values[issue] = np.asarray(np.interp(xs, xs[known], values[issue][known]), dtype=float)
        new.weights, new.values = weights, tuple(values)
        new._contrib = [w * v for w, v in zip(weights.tolist(), new.values, strict=True)]
    if isinstance(new, Constraints):
        if changes.bonuses:
            rules = list(new.rules)
            for rule, column in changes.bonuses:
                rules[rule] = Rule(rules[rule].allowed, float(row[column]), rules[rule].note)
            object.__setattr__(new, "rules", tuple(rules))
        if changes.base is not None and new.base is not None:
            new.base = _apply(new.base, changes.base, row)  # type: ignore[assignment]
    if isinstance(new, Table) and (changes.entries or changes.default is not None):
        if changes.entries:
            packages = list(new.entries)
            utilities = list(new.entries.values())
            for entry, column in changes.entries:
                utilities[entry] = float(row[column])
            new.entries = dict(zip(packages, utilities, strict=True))
            order = np.argsort(new._index(np.array(packages, dtype=np.int64).reshape(
                -1, len(new.shape))), kind="stable")
            new._vals = np.array(utilities, dtype=float)[order]
        if changes.default is not None:
            new.default = float(row[changes.default])
    if changes.reservation is not None:
        new.reservation_value = float(row[changes.reservation])
    return new

