"""The texts the heads of delegation sign: the launching document, each partial
agreement, the final agreement — in the agenda's words, followed by their hash.

Decision: what a head signs (Ed25519, with the key it registered) is the UTF-8 bytes of
:func:`signed_text`: the document's body, a blank line, and the line
``SHA-256: <hex of the body's UTF-8 bytes>``. The body is built from the log alone
(the opening's public scenario, the talks' title and context, the agreed package), so
anyone holding the exported record can rebuild the text and check each signature
(:func:`tratado.records.live.check_talks_leaves` does), and the printed document can
be matched to the record by its hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from tratado.service.state import TalksState


def _issues(state: TalksState) -> list[Mapping[str, Any]]:
    agenda = state.opening["public_scenario"]["agenda"]
    issues: list[Mapping[str, Any]] = agenda["issues"]
    return issues


def _parties(state: TalksState) -> list[str]:
    return [p.get("name") or p["id"] for p in state.opening["public_scenario"]["parties"]]


def _package_lines(state: TalksState, package: Mapping[str, str]) -> list[str]:
    lines = []
    for k, issue in enumerate(_issues(state), start=1):
        if issue["name"] in package:
            title = issue.get("title") or issue["name"]
            lines.append(f"{k}. {title}: {package[issue['name']]}")
    return lines


def body(state: TalksState, document: str) -> str:
    """The body of ``document`` (``launch``, ``agreement`` or ``partial-N``) of the talks
    in ``state`` (``KeyError`` when there is no such document yet)."""
    head = [f"{state.title}", f"Talks {state.id}", "", "Parties: " + "; ".join(_parties(state))]
    if document == "launch":
        lines = [*head, "", "The parties open these talks on the following agenda:", ""]
        for k, issue in enumerate(_issues(state), start=1):
            title = issue.get("title") or issue["name"]
            options = "; ".join(str(o) for o in issue.get("options", []))
            lines.append(f"{k}. {title} (options: {options})")
        kept_off = state.opening["public_scenario"]["agenda"].get("off_agenda") or []
        if kept_off:
            lines += ["", "Kept off the agenda: "
                      + "; ".join(str(t.get("topic", t)) for t in kept_off) + "."]
        rules = state.opening["public_scenario"].get("rules") or {}
        mode = rules.get("agreement", "package")
        lines += ["", "Nothing is agreed until everything is agreed." if mode == "package"
                  else "The agenda is agreed item by item.",
                  "Partial agreements are provisional unless every head of delegation signs"
                  " them as binding."]
        if state.context:
            lines += ["", "Context:", state.context.strip()]
        return "\n".join(lines) + "\n"
    if document == "agreement":
        package = state.agreement
        if package is None:
            raise KeyError(document)
        return "\n".join([*head, "", "The parties agree on the whole agenda as follows:", "",
                          *_package_lines(state, package)]) + "\n"
    if document.startswith("partial-"):
        number = int(document.split("-", 1)[1])
        if not 1 <= number <= len(state.partials):
            raise KeyError(document)
        partial = state.partials[number - 1]
        return "\n".join([*head, "", f"Partial agreement {number} (round {partial.round}):"
                          " the parties agree on the following points:", "",
                          *_package_lines(state, partial.package), "",
                          "Signed by every head of delegation, it is binding; otherwise it is"
                          " provisional until the whole agenda is agreed."]) + "\n"
    raise KeyError(document)


def signed_text(state: TalksState, document: str) -> str:
    """What a head signs: the body, a blank line, and its SHA-256."""
    text = body(state, document)
    return f"{text}\nSHA-256: {hashlib.sha256(text.encode('utf-8')).hexdigest()}\n"


def documents(state: TalksState) -> list[str]:
    """The documents there are to sign now, in order."""
    names = ["launch"] + [p.document for p in state.partials]
    if state.agreement is not None:
        names.append("agreement")
    return names
