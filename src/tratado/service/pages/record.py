"""The record page: the talks' verifiable record as it stands — the latest checkpoint the
service signed, its size, the bundle to download and its verification hash (what
``tratado verify`` checks, offline), the signed documents exported as HTML and Markdown
(:mod:`tratado.service.agreement_doc`), and for a head of delegation the co-signature of
the latest checkpoint from this browser."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from tratado.errors import TratadoError
from tratado.service import views
from tratado.service.agreement_doc import from_bundle, to_html, to_markdown
from tratado.service.pages.common import LoggedIn, error_page, render, service_of
from tratado.service.pages.talks_pages import TalksId, document_words, labels

router = APIRouter(include_in_schema=False)

Document = Annotated[str, Path(max_length=40, pattern=r"^(launch|agreement|partial-[0-9]{1,4})$")]


def bundle_name(talks_id: str) -> str:
    return f"{talks_id}.bundle.json"


@router.get("/talks/{talks_id}/record")
def record_page(request: Request, principal: LoggedIn, talks_id: TalksId) -> Response:
    service = service_of(request)
    try:
        view = views.talks_view(service, principal, talks_id)
        checkpoint = views.checkpoint(service, principal, talks_id)
        bundle = views.export_record(service, principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    digest = hashlib.sha256(bundle.encode("utf-8")).hexdigest()
    signed_documents = [d for d in view["documents"] if view["signatures"].get(d)]
    return render(request, "record.html", principal, title="The record", view=view,
                  talks_title=view["title"], labels=labels(view), checkpoint=checkpoint,
                  checkpoint_b64=base64.b64encode(checkpoint.encode("utf-8")).decode("ascii"),
                  bundle_sha256=digest, bundle_name=bundle_name(talks_id),
                  documents=signed_documents, document_words=document_words,
                  leaves=view["log_size"],
                  ok=request.query_params.get("ok"))


@router.get("/talks/{talks_id}/record/bundle")
def download_bundle(request: Request, principal: LoggedIn, talks_id: TalksId) -> Response:
    try:
        bundle = views.export_record(service_of(request), principal, talks_id)
    except TratadoError as error:
        return error_page(request, principal, error)
    return Response(bundle, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="{bundle_name(talks_id)}"',
        "Cache-Control": "no-store"})


@router.get("/talks/{talks_id}/record/{document}.{kind}")
def export_document(request: Request, principal: LoggedIn, talks_id: TalksId, document: Document,
                    kind: str) -> Response:
    """A signed document (``launch``, ``partial-N``, ``agreement``) as HTML or Markdown,
    read from the exported bundle, with the bundle's verification hash."""
    if kind not in ("html", "md"):
        return error_page(request, principal, TratadoError(
            f"there is no '{kind[:10]}' export.", field="kind", fix="ask for .html or .md."))
    try:
        bundle = views.export_record(service_of(request), principal, talks_id)
        doc = from_bundle(json.loads(bundle), bundle.encode("utf-8"), document)
    except TratadoError as error:
        return error_page(request, principal, error)
    name = f"{talks_id}-{document}.{kind}"
    if kind == "html":
        return Response(to_html(doc), media_type="text/html; charset=utf-8", headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})
    return Response(to_markdown(doc), media_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
