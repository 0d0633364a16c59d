"""The service's pages: server-rendered HTML (Jinja2 templates in ``service/templates``)
with htmx for the parts that refresh, and one small script for keys and signatures
(``service/static/signing.js``) — no JavaScript build step.

:func:`tratado.service.app.create_app` includes :data:`router` when this package is
there. The routes, by who uses them:

* everyone: ``/login``, ``/logout``, ``/invitation/{token}``, ``/talks``;
* an administrator: ``/talks/new`` (from a scenario file, a bundled example or from
  scratch);
* every member of talks: ``/talks/{id}`` — the mediator's page, a delegation's page or an
  observer's, by the role the service finds — and ``/talks/{id}/record``;
* a delegation: ``/talks/{id}/preferences`` and ``/talks/{id}/preferences/ranking``.

Every page calls the service functions in Python; they check role and party.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse, Response

from tratado.service.pages import access, preferences, record, talks_pages
from tratado.service.pages.common import STATIC, LoginRequired, login_first

router = APIRouter(include_in_schema=False)

STATIC_FILES = ("tratado.css", "signing.js", "vendor/htmx.min.js")
"""The only files served under /static (no directory walking)."""


@router.get("/static/{name:path}")
def static(name: Annotated[str, Path(max_length=40)]) -> Response:
    if name not in STATIC_FILES:
        return Response("not found", status_code=404)
    kind = "text/css" if name.endswith(".css") else "text/javascript"
    return FileResponse(STATIC / name, media_type=kind,
                        headers={"Cache-Control": "public, max-age=86400",
                                 "X-Content-Type-Options": "nosniff"})


router.include_router(access.router)
router.include_router(preferences.router)
router.include_router(record.router)
router.include_router(talks_pages.router)

__all__ = ["LoginRequired", "login_first", "router"]
