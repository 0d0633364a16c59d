"""A forecast as text (``tratado forecast``), from the document of
:meth:`tratado.experiments.forecast_result.ForecastResult.to_dict`."""

from __future__ import annotations

from typing import Any

from tratado.report.text import fill, section, shorten, table, wrap
from tratado.scenario import Scenario

NO_AGREEMENT = "no agreement"
MOVES_SHOWN = 3  # per protocol, the item shares a what-if moves most


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _interval(pair: list[float] | None, points: bool = False) -> str:
    if pair is None:
        return ""
    if points:
        return f"[{100 * pair[0]:+.1f}, {100 * pair[1]:+.1f}]"
    return f"{_pct(pair[0])} – {_pct(pair[1])}"


def _gain(cell: dict[str, Any]) -> str:
    shown = f"{cell['mean']:+.3f}"
    if cell["interval"] is not None:
        shown += f" [{cell['interval'][0]:+.3f}, {cell['interval'][1]:+.3f}]"
    return shown


def render_forecast(scenario: Scenario, document: dict[str, Any]) -> str:
    """The forecast: who agrees how often, on what, who gains, how stable the fair
    packages are, what drives it, and the what-ifs."""
    runs: dict[str, dict[str, Any]] = document["protocols"]
    names = list(runs)
    lines = [f"Forecast: {scenario.name}", ""]
    mixes = document["negotiators"]
    who = (f"{mixes[0][0]} for every party" if len(mixes) == 1 and len(set(mixes[0])) == 1
           else "; ".join(", ".join(mix) for mix in mixes))
    if document["exact"]:
        linked = (document.get("stakeholders", True)
                  and any(holder.effects for holder in scenario.roles.stakeholders))
        simulate = f"`tratado simulate --protocol NAME --seed {document['seed']}`"
        lines.append(wrap(
            "The scenario states no uncertainty: the forecast is the single simulation of"
            f" each protocol (seed {document['seed']})"
            + (", with the stakeholders' effects folded into the parties' preferences"
               f" (with --without-stakeholders it is exactly {simulate}, which runs the"
               " table alone)" if linked else f", exactly as {simulate} runs it")
            + f". Negotiators: {who}."))
    else:
        lines.append(wrap(
            f"{document['samples']:,} samples of {len(document['inputs'])} uncertain"
            f" inputs (seed {document['seed']}), each run under {', '.join(names)};"
            f" negotiators: {who}. Every session of a sample has the same seed. "
            + _precision(document)))
    lines += _agreement(runs, document["exact"])
    lines += _package(scenario, runs) if document["exact"] else _items(scenario, runs)
    lines += _gains(scenario, runs)
    lines += _fair(document["fair_packages"], document["exact"])
    if document["sensitivity"]:
        lines += _drivers(document)
    for what_if in document["what_if"]:
        lines += _what_if(what_if, runs)
    failures = document["failures"]
    if failures["sessions"]:
        lines += ["", wrap(f"{failures['sessions']:,} session(s) failed and count as no"
                           " agreement; most frequent reasons:")]
        lines += [wrap(f"{count:,} × {shorten(reason, 160)}", indent="    ")
                  for reason, count in failures["reasons"].items()]
    return "\n".join(lines) + "\n"


def _precision(document: dict[str, Any]) -> str:
    """What the number of samples buys: the widest 95% margin of a probability,
    ``z sqrt(1/4 / N)`` (at p = 1/2), and the default's."""
    from tratado.experiments.forecast import DEFAULT_SAMPLES

    margin = 100 * float(document["z"]) * (0.25 / document["samples"]) ** 0.5
    default = 100 * float(document["z"]) * (0.25 / DEFAULT_SAMPLES) ** 0.5
    return (f"Each probability is known to ±{margin:.1f} percentage points or better at"
            f" {document['confidence']:.0%} confidence"
            + ("." if document["samples"] == DEFAULT_SAMPLES else
               f" (the default, {DEFAULT_SAMPLES:,} samples, gives ±{default:.0f})."))


def _agreement(runs: dict[str, dict[str, Any]], exact: bool) -> list[str]:
    if exact:
        rows = [[name, "agreement" if run["agreements"] else "no agreement"]
                for name, run in runs.items()]
        return [section("Result of each protocol"), table(["protocol", "result"], rows)]
    rows = [[name, _pct(run["agreement_probability"]), _interval(run["interval"]),
             f"{run['agreements']:,} / {run['sessions']:,}"] for name, run in runs.items()]
    return [section("Probability of agreement (95% Wilson interval)"),
            table(["protocol", "agreement", "interval", "samples agreed"], rows, right=(1, 3))]


def _items(scenario: Scenario, runs: dict[str, dict[str, Any]]) -> list[str]:
    names = list(runs)
    lines = [section("What each agenda item settles on (share of samples)")]
    for issue in scenario.agenda.issues:
        title = f"{issue.name} — {issue.title}" if issue.title else issue.name
        labels = [*(str(option) for option in issue.options), NO_AGREEMENT]
        rows = [[fill(label, 40), *(_pct(runs[name]["items"][issue.name][label])
                                    for name in names)] for label in labels]
        lines += ["", wrap(title, indent="  "),
                  table(["option", *names], rows, right=tuple(range(1, len(names) + 1)))]
    return lines


def _package(scenario: Scenario, runs: dict[str, dict[str, Any]]) -> list[str]:
    """Without uncertainty: the package each protocol agreed on."""
    names = list(runs)
    rows = []
    for issue in scenario.agenda.issues:
        cells = []
        for name in names:
            shares = runs[name]["items"][issue.name]
            agreed = [label for label, share in shares.items() if share > 0]
            cells.append(fill(agreed[0], 34) if agreed else "")
        rows.append([issue.name, *cells])
    return [section("What each agenda item settles on"), table(["item", *names], rows)]


def _gains(scenario: Scenario, runs: dict[str, dict[str, Any]]) -> list[str]:
    parties = list(scenario.party_ids)
    rows = [[name, *(_gain(run["expected_gain"][party]) for party in parties)]
            for name, run in runs.items()]
    return [section("Expected gain over no deal (mean, 95% interval; 0 without agreement)"),
            table(["protocol", *parties], rows)]


def _fair(fair: dict[str, Any], exact: bool) -> list[str]:
    nash = fair["nash"]
    lines = [section("Stability of the fair package: how often a sample's Nash package is"
                     " the nominal one")]
    if nash["nominal"] is None:
        lines.append(wrap("With the estimates, no package is acceptable to every party (no"
                          f" Nash package); {_pct(nash['no_package'])} of the samples have"
                          " none either."))
        return lines
    rows = [[issue, fill(option, 40), _pct(nash["items"][issue])]
            for issue, option in nash["nominal"].items()]
    rows.append(["whole package", "", _pct(nash["same_package"])])
    lines.append(table(["item", "nominal Nash option", "same in sample"], rows, right=(2,)))
    if not exact:
        lines.append(wrap(f"Samples in which no package is acceptable to every party:"
                          f" {_pct(nash['no_package'])}."))
    return lines


def _label(item: dict[str, Any], shared: set[str]) -> str:
    """An input's label (with its key when another input has the same label), wrapped
    in its table cell rather than cut."""
    if item["label"] not in shared:
        return fill(item["label"], 48)
    return fill(f"{item['label']} [{item['input'].split('.', 2)[-1]}]", 48)


def _drivers(document: dict[str, Any]) -> list[str]:
    noise = document["sensitivity_noise"]
    seen = [item["label"] for item in document["sensitivity"]]
    shared = {label for label in seen if seen.count(label) > 1}
    rows = [[_label(item, shared), f"{item['first_order']:.3f}",
             f"{item['spearman']:+.2f}",
             f"{_pct(item['agreement_low'])} → {_pct(item['agreement_high'])}"]
            for item in document["sensitivity"]]
    lines = [section("What drives the probability of agreement (all protocols together)")]
    if all(item["first_order"] < 2 * noise for item in document["sensitivity"]):
        lines.append(wrap("No input moves the probability of agreement beyond the noise level"
                          f" (first-order indices all below {2 * noise:.3f}): within the"
                          " stated uncertainty, whether the talks agree does not hinge on"
                          " any one estimate (--json lists every index)."))
    else:
        lines += [wrap("First-order sensitivity index (the share of the variance of agreement"
                       " the input explains alone; binned estimate, noise level about"
                       f" {noise:.3f}), Spearman's rank correlation, and the probability of"
                       " agreement when the input is in its lowest and in its highest fifth:"),
                  "",
                  table(["input", "index", "rank corr.", "agreement: low → high"], rows,
                        right=(1, 2, 3))]
    for party, drivers in document["gain_sensitivity"].items():
        if all(item["first_order"] == 0 and item["gain_low"] == item["gain_high"]
               for item in drivers):
            lines += ["", wrap(f"Nothing uncertain moves {party}'s gain over no deal: it is"
                               " the same in every sample.")]
            continue
        rows = [[_label(item, shared), f"{item['first_order']:.3f}", f"{item['spearman']:+.2f}",
                 f"{item['gain_low']:+.3f} → {item['gain_high']:+.3f}"] for item in drivers]
        lines += ["", wrap(f"What drives {party}'s gain over no deal (top {len(rows)}; mean"
                           " gain with the input in its lowest and highest fifth):"),
                  table(["input", "index", "rank corr.", "gain: low → high"], rows,
                        right=(1, 2, 3))]
    return lines


def _what_if(what_if: dict[str, Any], base: dict[str, dict[str, Any]]) -> list[str]:
    runs = what_if["protocols"]
    difference = what_if["difference"]
    rows = [[name, _pct(base[name]["agreement_probability"]),
             _pct(runs[name]["agreement_probability"]),
             f"{100 * difference[name]['agreement_probability']:+.1f} pp",
             _interval(difference[name]["interval"], points=True)] for name in runs]
    lines = [section(f"What-if: {what_if['what_if']} (the same samples and seeds)"),
             table(["protocol", "forecast", "what-if", "difference", "95% interval"], rows,
                   right=(1, 2, 3))]
    moves = []
    for name in runs:
        changes = [(abs(d), issue, label, d) for issue, shares in
                   difference[name]["items"].items() for label, d in shares.items()
                   if label != NO_AGREEMENT and d]
        for _, issue, label, d in sorted(changes, key=lambda c: (-c[0], c[1], c[2]))[:MOVES_SHOWN]:
            moves.append([name, issue, fill(label, 40), f"{100 * d:+.1f} pp"])
    if moves:
        lines += ["", wrap("The item options it moves most:"),
                  table(["protocol", "item", "option", "share"], moves, right=(3,))]
    return lines
