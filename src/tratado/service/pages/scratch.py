"""The scenario new talks start from: a bundled example, an uploaded tratado scenario file
(YAML), or the agenda and the parties typed on the page ("from scratch").

From scratch, the agenda is one point per line, ``Title: first option; second option``,
the parties one per line, ``id: Name``, and the topics kept off the agenda one per line.
Such a scenario has no preferences: each delegation enters its own on its page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tratado.errors import TratadoError
from tratado.scenario import Scenario

MAX_SCENARIO_BYTES = 1024 * 1024
"""The largest scenario file the page accepts (1 MiB; agendas are a few kilobytes)."""

MOST_LINES = 60


def scenario_from_form(form: Mapping[str, Any], data: bytes, filename: str) -> Scenario:
    """The scenario the form names: ``source`` is ``example`` (field ``example``),
    ``file`` (the uploaded bytes ``data``) or ``scratch`` (fields ``name``, ``agenda``,
    ``parties``)."""
    source = str(form.get("source") or "example")
    if source == "example":
        from tratado.formats import bundled_examples, load

        name = str(form.get("example") or "")
        if name not in bundled_examples():
            raise TratadoError(f"there is no bundled example '{name[:60]}'.", field="example",
                               fix="choose one from the list.")
        return load(name)
    if source == "file":
        return _from_file(data, filename)
    if source == "scratch":
        return from_scratch(str(form.get("name") or ""), str(form.get("agenda") or ""),
                            str(form.get("parties") or ""), str(form.get("off_agenda") or ""))
    raise TratadoError(f"'{source[:40]}' is not a way to start talks.", field="source",
                       fix="choose an example, a file, or type the agenda.")


def _from_file(data: bytes, filename: str) -> Scenario:
    from tratado.formats.yaml_format import loads_yaml

    if not data:
        raise TratadoError("no file was chosen.", field="scenario_file",
                           fix="choose the scenario file (YAML) to start from.")
    if len(data) > MAX_SCENARIO_BYTES:
        raise TratadoError(f"the file is larger than {MAX_SCENARIO_BYTES // 1024} KiB.",
                           file=filename, fix="give the scenario file of the talks.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TratadoError("the file is not UTF-8 text.", file=filename,
                           fix="save it as UTF-8 (a tratado scenario YAML file).") from None
    return loads_yaml(text, filename)


def _lines(text: str, field: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MOST_LINES:
        raise TratadoError(f"{len(lines)} lines is more than {MOST_LINES}.", field=field,
                           fix="shorten the list.")
    return lines


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:60] or "point"


def from_scratch(name: str, agenda_text: str, parties_text: str, off_agenda_text: str = "") -> Scenario:
    """A scenario from the agenda, the parties and the topics kept off the agenda typed
    on the page (:func:`tratado.service.talks.scenario_from_scratch` builds it)."""
    from tratado.service.talks import scenario_from_scratch

    if not name.strip():
        raise TratadoError("the talks have no name.", field="name", fix="name the talks.")
    issues = []
    seen: set[str] = set()
    for k, line in enumerate(_lines(agenda_text, "agenda"), start=1):
        title, colon, rest = line.partition(":")
        options = [o.strip() for o in rest.split(";") if o.strip()]
        if not colon or len(options) < 2:
            raise TratadoError(f"line {k} of the agenda, '{line[:60]}', does not list two options"
                               " or more.", field="agenda",
                               fix="write each point as 'Title: first option; second option'.")
        slug = _slug(title)
        while slug in seen:
            slug += "_"
        seen.add(slug)
        issues.append({"name": slug, "title": title.strip(), "options": options})
    if not issues:
        raise TratadoError("the agenda is empty.", field="agenda",
                           fix="write one point per line: 'Title: first option; second option'.")
    parties = []
    for k, line in enumerate(_lines(parties_text, "parties"), start=1):
        pid, colon, label = line.partition(":")
        pid = pid.strip()
        if not colon or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,40}", pid) or not label.strip():
            raise TratadoError(f"line {k} of the parties, '{line[:60]}', is not 'id: Name'.",
                               field="parties",
                               fix="write one party per line, e.g. 'government: The Government'"
                               " (the id in lower-case letters, digits, '-' or '_').")
        parties.append({"id": pid, "name": label.strip()})
    return scenario_from_scratch(name.strip(), issues, parties,
                                 off_agenda=_lines(off_agenda_text, "off_agenda"))
