"""The tournament file: a tournament as a YAML document people share and rerun.

    tratado-tournament: 1
    negotiators: [boulware, conceder, "time-based:e=0.5", frequency]
    scenarios: [job-offer, venezuela-2021, anac/]
    protocols: [alternating]
    repetitions: 3
    rounds: 100
    seed: 7

The fields are those of :class:`Settings` (``docs/tournament-format.md`` documents each,
``schema/tournament.schema.json`` is the JSON Schema). A results folder holds the file
*as it ran* (:func:`dumps_settings`): every field written out, and every scenario found
in a folder listed on its own with its ``sha256``. Run again, that file gives the same
sessions — and refuses to run if a scenario's file changed since.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tratado.errors import TratadoError
from tratado.experiments.plan import ROLES
from tratado.limits import env_name, excerpt, limit

VERSION_KEY = "tratado-tournament"


@dataclass(frozen=True)
class Settings:
    """What a tournament runs (everything but where and on how many workers).

    ``negotiators``: specs (``boulware``, ``boulware:e=0.2``, ``module:Class``);
    ``scenarios``: files, bundled names or folders; ``protocols``: protocol names;
    ``repetitions``: sessions per assignment; ``rounds``: deadline in rounds (default:
    each scenario's); ``seconds``: also end each session after this much wall-clock
    time; ``move_budget``: seconds one move may take; ``timeout``: seconds after which a
    session that has not ended is stopped and recorded as failed; ``seed``: the
    tournament seed; ``self_play``: let a negotiator meet itself; ``roles``: ``auto``,
    ``all`` or ``rotations`` (:mod:`tratado.experiments.plan`); ``isolate``: run each
    plug-in negotiator in a process of its own, where it sees only its own preferences
    (:mod:`tratado.negotiators.isolated`); ``stakeholders``: fold the effects of the
    stakeholders away from the table into the parties' preferences (the default, as
    ``analyze``, ``simulate`` and ``forecast`` do), or run the table alone (``False``);
    ``fingerprints``: the SHA-256 each scenario must have (``None`` where not checked).
    """

    negotiators: tuple[str, ...]
    scenarios: tuple[str, ...]
    protocols: tuple[str, ...] = ("alternating",)
    repetitions: int = 1
    rounds: int | None = None
    seconds: float | None = None
    move_budget: float | None = None
    timeout: float = 60.0
    seed: int = 0
    self_play: bool = False
    roles: str = "auto"
    name: str | None = None
    isolate: bool = False
    stakeholders: bool = True
    fingerprints: tuple[str | None, ...] = field(default=(), compare=False)


def _fail(message: str, file: str | None, key: str, fix: str) -> TratadoError:
    return TratadoError(message, file=file, field=key, fix=fix)


def _names(value: Any, key: str, file: str | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(f"expected a list of names, got {excerpt(value)!r}.", file, key,
                    f"write {key}: [name, name, ...].")
    return tuple(v.strip() for v in value)


def _number(value: Any, key: str, file: str | None, kind: type, low: float,
            optional: bool) -> Any:
    if value is None and optional:
        return None
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        ok = ok and float(value).is_integer()
    if not ok or value < low or (kind is float and value != value):
        what = "a whole number" if kind is int else "a number"
        raise _fail(f"expected {what} of at least {low}, got {excerpt(value)!r}.", file, key,
                    f"give {key} as {what}" + (", or leave it out." if optional else "."))
    return kind(value)


def settings_from_dict(data: Any, file: str | None = None) -> Settings:
    """:class:`Settings` from a parsed tournament document (clear errors naming the field)."""
    if not isinstance(data, dict):
        raise _fail("a tournament file is a mapping of fields.", file, VERSION_KEY,
                    f"start the file with '{VERSION_KEY}: 1'.")
    if data.get(VERSION_KEY) != 1:
        raise _fail(f"the file does not say '{VERSION_KEY}: 1'.", file, VERSION_KEY,
                    f"add the line '{VERSION_KEY}: 1' at the top.")
    known = {f.name.replace("_", "-") for f in fields(Settings)} - {"fingerprints"}
    unknown = sorted(str(k) for k in data if k != VERSION_KEY and k not in known)
    if unknown:
        raise _fail(f"unknown field '{excerpt(unknown[0])}'.", file, unknown[0],
                    f"use only: {', '.join(sorted(known))}.")
    if "negotiators" not in data or "scenarios" not in data:
        missing = "negotiators" if "negotiators" not in data else "scenarios"
        raise _fail(f"the field '{missing}' is missing.", file, missing,
                    f"add {missing}: [..., ...].")
    scenarios: list[str] = []
    prints: list[str | None] = []
    raw = data["scenarios"]
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise _fail("expected a list of scenarios.", file, "scenarios",
                    "write scenarios: [file, folder, bundled-name, ...].")
    for k, item in enumerate(raw):
        if isinstance(item, dict) and set(item) <= {"path", "sha256"} and isinstance(
                item.get("path"), str) and isinstance(item.get("sha256", ""), str):
            scenarios.append(item["path"])
            prints.append(item.get("sha256"))
        elif isinstance(item, str) and item:
            scenarios.append(item)
            prints.append(None)
        else:
            raise _fail(f"scenario {k + 1} is {excerpt(item)!r}, neither a path nor"
                        " {path: ..., sha256: ...}.", file, "scenarios",
                        "give a file, a folder or a bundled example name.")
    roles = data.get("roles", "auto")
    if roles not in ROLES:
        raise _fail(f"roles is {excerpt(roles)!r}.", file, "roles",
                    f"use one of: {', '.join(ROLES)}.")
    for flag in ("self-play", "isolate", "stakeholders"):
        if not isinstance(data.get(flag, False), bool):
            raise _fail(f"{flag} is {excerpt(data[flag])!r}.", file, flag, "write true or false.")
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        raise _fail("the name is not text.", file, "name", "write name: some words.")
    return Settings(
        negotiators=_names(data["negotiators"], "negotiators", file),
        scenarios=tuple(scenarios),
        protocols=_names(data.get("protocols", ["alternating"]), "protocols", file),
        repetitions=_number(data.get("repetitions", 1), "repetitions", file, int, 1, False),
        rounds=_number(data.get("rounds"), "rounds", file, int, 1, True),
        seconds=_number(data.get("seconds"), "seconds", file, float, 1e-9, True),
        move_budget=_number(data.get("move-budget"), "move-budget", file, float, 1e-9, True),
        timeout=_number(data.get("timeout", 60.0), "timeout", file, float, 1e-9, False),
        seed=_number(data.get("seed", 0), "seed", file, int, 0, False),
        self_play=bool(data.get("self-play", False)),
        roles=str(roles),
        name=name,
        isolate=bool(data.get("isolate", False)),
        stakeholders=bool(data.get("stakeholders", True)),
        fingerprints=tuple(prints),
    )


def load_settings(path: str | Path) -> Settings:
    """Read a tournament file (size-limited; YAML, safe loader)."""
    import yaml

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit("input_bytes"):
            raise TratadoError(f"the file is {size:,} bytes, over the input limit.",
                               file=str(path),
                               fix=f"use a smaller file, or raise {env_name('input_bytes')}.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TratadoError("the file does not exist.", file=str(path),
                           fix="check the path of the tournament file.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise TratadoError(f"the file cannot be read ({error}).", file=str(path),
                           fix="give a UTF-8 YAML tournament file.") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise TratadoError("this is not valid YAML.", file=str(path),
                           line=None if mark is None else mark.line + 1,
                           fix="check the indentation and quotes near that line.") from None
    except RecursionError:
        raise TratadoError("the file nests too deeply.", file=str(path),
                           fix="write a flat tournament file.") from None
    return settings_from_dict(data, str(path))


def dumps_settings(settings: Settings, found: list[tuple[str, str]] | None = None,
                   linked: bool = False) -> str:
    """The tournament as it ran: every field written out; ``found`` — one ``(source,
    sha256)`` per scenario actually run — replaces the scenarios given. ``linked``: some
    scenario has stakeholders' effects, so ``stakeholders`` is written out too (a file
    without it, as every results folder made before the field existed, ran them on the
    table alone when they had effects)."""
    import yaml

    document: dict[str, Any] = {VERSION_KEY: 1}
    if settings.name is not None:
        document["name"] = settings.name
    document["negotiators"] = list(settings.negotiators)
    if found is None:
        document["scenarios"] = list(settings.scenarios)
    else:
        document["scenarios"] = [{"path": path, "sha256": sha} for path, sha in found]
    document.update({
        "protocols": list(settings.protocols), "repetitions": settings.repetitions,
        "rounds": settings.rounds, "seconds": settings.seconds,
        "move-budget": settings.move_budget, "timeout": settings.timeout,
        "seed": settings.seed, "self-play": settings.self_play, "roles": settings.roles,
    })
    if settings.isolate:
        document["isolate"] = True
    if linked:
        document["stakeholders"] = settings.stakeholders
    text: str = yaml.safe_dump(document, sort_keys=False, allow_unicode=True,
                               default_flow_style=False, width=100)
    return text
