"""A delegation's preference pages: spread 100 points over the issues, rate the options,
give a reservation (a score, or "no worse than this package"), then rank a few whole
packages tratado picks, and be told when the ranking contradicts the ratings, with the fix
(:mod:`tratado.service.elicitation`, :mod:`tratado.service.ranking`). Or import them from
a tratado scenario file.

Only that delegation reaches these pages: the service refuses everyone else
(:func:`tratado.service.talks.my_preferences` and ``set_preferences`` check the party)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from tratado.errors import TratadoError
from tratado.preferences import LinearAdditive
from tratado.service import talks
from tratado.service.auth import Principal
from tratado.service.elicitation import (
    POINTS,
    StatedPreferences,
    from_scenario,
    preferences_of,
    weights_from_points,
)
from tratado.service.pages.common import (
    LoggedIn,
    attempt,
    done,
    error_page,
    form_of,
    principal_of,
    problem_words,
    render,
    service_of,
)
from tratado.service.pages.mine import stated
from tratado.service.pages.scratch import MAX_SCENARIO_BYTES
from tratado.service.pages.talks_pages import TalksId, labels
from tratado.service.ranking import check_ranking, package_names, packages_to_rank

router = APIRouter(include_in_schema=False)

MOST_RATED = 12
"""A numeric issue with more options than this is rated at a few points (interpolated)."""

RANKED = 4


def rated_options(issue: Any) -> list[int]:
    """The positions of the options a delegation rates on the page: all of a named issue;
    on a long numeric one, the two ends and three points between."""
    count = len(issue.options)
    if not issue.is_numeric or count <= MOST_RATED:
        return list(range(count))
    return sorted({round(k * (count - 1) / 4) for k in range(5)})


def _fields(agenda: Any, values: StatedPreferences | None) -> dict[str, str]:
    """The form's fields for ``values`` (what was entered before)."""
    if values is None:
        return {}
    out = {f"points.{name}": _number(p) for name, p in values.points.items()}
    for issue in agenda:
        for k in rated_options(issue):
            rating = values.ratings.get(issue.name, {}).get(str(issue.options[k]))
            if rating is not None:
                out[f"rating.{issue.name}.{k}"] = _number(rating)
    if values.reservation is not None:
        out["reservation_kind"] = "score"
        out["reservation_score"] = _number(values.reservation)
    return out


def _number(value: float) -> str:
    return f"{round(float(value), 2):g}"


def stated_from_form(agenda: Any, form: Mapping[str, Any]) -> StatedPreferences:
    """The points, ratings and reservation typed in the form."""
    points = {issue.name: str(form.get(f"points.{issue.name}") or "").strip() or "0" for issue in agenda}
    ratings: dict[str, dict[str, Any]] = {}
    for issue in agenda:
        given = {}
        for k in rated_options(issue):
            text = str(form.get(f"rating.{issue.name}.{k}") or "").strip()
            if text:
                given[str(issue.options[k])] = text
        ratings[issue.name] = given
    reservation, package = None, None
    if form.get("reservation_kind") == "package":
        package = {issue.name: str(form.get(f"reservation.{issue.name}") or "") for issue in agenda}
    else:
        text = str(form.get("reservation_score") or "").strip()
        reservation = text or None
    return StatedPreferences(points, ratings, reservation, package)  # type: ignore[arg-type]


def _load(request: Request, principal: Principal, talks_id: str) -> dict[str, Any]:
    service = service_of(request)
    agenda, party, preferences, values = stated(service, principal, talks_id)
    from tratado.service import views

    view = views.talks_view(service, principal, talks_id)
    return {"agenda": agenda, "party": party, "preferences": preferences, "values": values,
            "view": view, "talks_title": view["title"], "labels": labels(view),
            "party_label": labels(view).get(party, party)}


def _form_page(request: Request, principal: Principal, talks_id: str, status_code: int = 200,
               fields: Mapping[str, Any] | None = None,
               flashes: list[tuple[str, str]] | None = None) -> Response:
    try:
        data = _load(request, principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    if request.query_params.get("ok") == "imported":
        flashes = [*(flashes or []), ("ok", "Your preferences are imported and saved. Check them"
                                            " below, then rank the packages.")]
    shown = dict(fields) if fields is not None else _fields(data["agenda"], data["values"])
    return render(request, "preferences.html", principal, status_code, title="Your preferences",
                  fields=shown, rated_options=rated_options, points_total=_total(data["agenda"], shown),
                  POINTS=POINTS, flashes=flashes or [], **data)


def _total(agenda: Any, fields: Mapping[str, Any]) -> float:
    total = 0.0
    for issue in agenda:
        with contextlib.suppress(ValueError):
            total += float(str(fields.get(f"points.{issue.name}") or 0))
    return total


@router.get("/talks/{talks_id}/preferences")
def preferences_page(request: Request, principal: LoggedIn, talks_id: TalksId) -> Response:
    return _form_page(request, principal, talks_id)


@router.post("/talks/{talks_id}/preferences/check")
async def check(request: Request, talks_id: TalksId) -> Response:
    """The live check under the form as the delegation types (htmx): the points' total
    and the first mistake, with its fix. Saves nothing."""
    principal = principal_of(request)
    if principal is None:
        return Response(status_code=401)
    try:
        form = await request.form()
        data = _load(request, principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    agenda = data["agenda"]
    total = _total(agenda, form)
    _, problem = attempt(lambda: weights_from_points(agenda, stated_from_form(agenda, form).points))
    if problem is None:
        _, problem = attempt(lambda: preferences_of(agenda, stated_from_form(agenda, form)))
    return render(request, "preferences_check.html", principal, total=total, POINTS=POINTS,
                  problem=problem)


@router.post("/talks/{talks_id}/preferences")
async def save(request: Request, principal: LoggedIn, talks_id: TalksId) -> Response:
    try:
        form, key = await form_of(request, principal)
        data = _load(request, principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    agenda, party = data["agenda"], data["party"]
    service = service_of(request)

    def store() -> None:
        preferences = preferences_of(agenda, stated_from_form(agenda, form))
        talks.set_preferences(service, principal, talks_id, party, preferences, idempotency=key)

    _, problem = attempt(store)
    if problem is not None:
        return _form_page(request, principal, talks_id, 422, dict(form), [("error", problem)])
    return done(f"/talks/{talks_id}/preferences/ranking?ok=saved")


@router.post("/talks/{talks_id}/preferences/import")
async def import_file(request: Request, principal: LoggedIn, talks_id: TalksId) -> Response:
    try:
        form, key = await form_of(request, principal)
        data = _load(request, principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    upload = form.get("scenario_file")
    raw = await upload.read(MAX_SCENARIO_BYTES + 1) if isinstance(upload, UploadFile) else b""
    filename = getattr(upload, "filename", None) or "the scenario file"
    service = service_of(request)

    def store() -> None:
        from tratado.service.pages.scratch import _from_file

        scenario = _from_file(raw, filename)
        in_file = str(form.get("party_in_file") or "").strip() or data["party"]
        mine = from_scenario(scenario, in_file, data["agenda"], filename)
        preferences = preferences_of(data["agenda"], mine)
        talks.set_preferences(service, principal, talks_id, data["party"], preferences, idempotency=key)

    _, problem = attempt(store)
    if problem is not None:
        return _form_page(request, principal, talks_id, 422, flashes=[("error", problem)])
    return done(f"/talks/{talks_id}/preferences?ok=imported")


def _seed(talks_id: str, party: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{talks_id}\n{party}".encode()).digest()[:8], "big")


def _ranking_page(request: Request, principal: Principal, talks_id: str,
                  ranking: list[str] | None = None, status_code: int = 200,
                  flashes: list[tuple[str, str]] | None = None) -> Response:
    try:
        data = _load(request, principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    preferences: LinearAdditive | None = data["preferences"]
    if preferences is None:
        return _form_page(request, principal, talks_id, 409, flashes=[
            ("warn", "Enter your points and ratings first; then tratado picks packages to rank.")])
    agenda = data["agenda"]
    packages, problem = attempt(lambda: packages_to_rank(agenda, preferences, RANKED,
                                                         _seed(talks_id, data["party"])))
    names = package_names(len(packages or []))
    result = None
    flashes = list(flashes or [])
    if request.query_params.get("ok") == "saved":
        flashes.append(("ok", "Your points and ratings are saved. Now check them: rank these"
                              " packages from best to worst for your delegation."))
    if problem is not None:
        flashes.append(("warn", problem))
    elif ranking is not None:
        ratings = data["values"].ratings if data["values"] else None
        result, problem = attempt(lambda: check_ranking(agenda, preferences, packages or [], ranking,
                                                        ratings))
        if problem is not None:
            flashes.append(("error", problem))
    return render(request, "preferences_ranking.html", principal, status_code, title="Check by ranking",
                  packages=list(zip(names, packages or [], strict=True)), ranking=ranking or [],
                  contradictions=result, flashes=flashes, **data)


@router.get("/talks/{talks_id}/preferences/ranking")
def ranking_page(request: Request, principal: LoggedIn, talks_id: TalksId) -> Response:
    return _ranking_page(request, principal, talks_id)


@router.post("/talks/{talks_id}/preferences/ranking")
async def check_ranking_page(request: Request, principal: LoggedIn, talks_id: TalksId) -> Response:
    try:
        form, _ = await form_of(request, principal)
    except TratadoError as error:
        return error_page(request, principal, error)
    places = {}
    for name in package_names(RANKED):
        try:
            places[name] = int(str(form.get(f"place.{name}") or "0"))
        except ValueError:
            places[name] = 0
    ranking = [name for name, _ in sorted(places.items(), key=lambda item: item[1])]
    if sorted(places.values()) != list(range(1, len(places) + 1)):
        problem = TratadoError("each place, 1 to 4, must be given to exactly one package.",
                               field="ranking", fix="give the best package place 1, the next 2, and so on.")
        return _ranking_page(request, principal, talks_id, None, 422,
                             [("error", problem_words(problem))])
    return _ranking_page(request, principal, talks_id, ranking)
