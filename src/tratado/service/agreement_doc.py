"""The agreement exported as a document: HTML and Markdown, with the heads' signatures and
the verification hash of the record.

What a head of delegation signs — the launching document, each partial agreement, the
final agreement — is a text in the agenda's words ending in its own SHA-256
(:mod:`tratado.service.documents`); each head's Ed25519 signature of its UTF-8 bytes,
made in the browser (``static/signing.js``) or with ``tratado keys``, is written to the
talks' log in a ``signed`` leaf with the text, its hash and the head's verifier key.
Everything here is read from the log's leaves alone (:func:`from_leaves`), so anyone
holding the exported bundle can rebuild the document (:func:`from_bundle`) and check
every signature again, offline.

:func:`to_markdown` and :func:`to_html` render an :class:`AgreementDocument`: the items
in the agenda's words, what is provisional, each signature and whether it verifies, the
signed text and its hash, and the verification hash of the record (the sha256 of the
bundle file, which ``tratado verify`` prints). The HTML is one self-contained page made
to be printed (a browser prints it to PDF; tratado adds no PDF library for that).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tratado.errors import TratadoError
from tratado.records.note import NoteError, VerifierKey, b64decode

TITLES = {"launch": "Launching document", "agreement": "Agreement"}
"""The title of each document (``partial-N``: "Partial agreement N")."""


def document_title(document: str) -> str:
    """``launch`` → "Launching document", ``partial-2`` → "Partial agreement 2", ..."""
    if document.startswith("partial-"):
        return f"Partial agreement {document.split('-', 1)[1]}"
    return TITLES.get(document, document)


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


@dataclass(frozen=True)
class HeadSignature:
    """One head's signature of the document: the ``party``, its head's ``verifier_key``
    (``name+id+key``), the ``signature`` (base64), when (``at``), and whether it
    ``verified`` over the document's text."""

    party: str
    verifier_key: str
    signature: str
    at: str | None
    verified: bool

    @property
    def key_name(self) -> str:
        return self.verifier_key.split("+", 1)[0]

    @property
    def key_id(self) -> str:
        parts = self.verifier_key.split("+")
        return parts[1] if len(parts) > 2 else "?"


def signature_verifies(text: str, verifier_key: str, signature: str) -> bool:
    """Whether ``signature`` (base64) is the Ed25519 signature of ``text``'s UTF-8 bytes
    by ``verifier_key``; a malformed key or signature does not verify."""
    try:
        return VerifierKey.parse(verifier_key).verify(text.encode("utf-8"),
                                                      b64decode(signature, "the signature"))
    except NoteError:
        return False


@dataclass(frozen=True)
class AgreementDocument:
    """A document to export: the ``talks`` (title), which ``document``, the ``parties``
    (labels), the ``items`` (``(point of the agenda, what is agreed)``, in agenda order),
    its ``status`` (provisional, binding, signed), the ``text`` the heads signed, their
    ``signatures``, ``record_sha256`` (the bundle file's sha256, the verification hash)
    and ``checkpoint`` (the record's signed tree head)."""

    talks: str
    document: str
    parties: tuple[tuple[str, str], ...]
    items: tuple[tuple[str, str], ...]
    status: str
    text: str | None
    signatures: tuple[HeadSignature, ...] = ()
    record_sha256: str | None = None
    checkpoint: str | None = None

    @property
    def title(self) -> str:
        return document_title(self.document)

    @property
    def text_sha256(self) -> str | None:
        """The document's hash, what people quote to name it: the one its last line
        states (``SHA-256: <hex>``, the hash of the lines above) when that line is right,
        else the sha256 of the whole text."""
        if self.text is None:
            return None
        body, _, last = self.text.rstrip("\n").rpartition("\n")
        stated = last.removeprefix("SHA-256: ")
        if stated != last and hashlib.sha256(body.rstrip("\n").encode("utf-8") + b"\n").hexdigest() == stated:
            return stated
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def fully_signed(self) -> bool:
        """Every party's head signed, and every signature verifies."""
        signed = {s.party for s in self.signatures if s.verified}
        return bool(self.parties) and signed == {pid for pid, _ in self.parties}


def from_leaves(leaves: Sequence[Mapping[str, Any]], document: str = "agreement", *,
                record_sha256: str | None = None, checkpoint: str | None = None) -> AgreementDocument:
    """The document ``document`` (``launch``, ``partial-N``, ``agreement``) of the talks
    whose log is ``leaves``, with every head's signature found in the log checked again."""
    opening: Mapping[str, Any] = {}
    title = None
    package: Mapping[str, Any] | None = None
    signed: list[Mapping[str, Any]] = []
    for leaf in leaves:
        if not isinstance(leaf, Mapping):
            continue
        if isinstance(leaf.get("opening"), Mapping):
            opening = leaf["opening"]
        elif isinstance(leaf.get("closing"), Mapping) and document == "agreement":
            package = leaf["closing"].get("agreement") or package
        elif isinstance(leaf.get("talks"), Mapping):
            item = leaf["talks"]
            kind = item.get("kind")
            if kind == "created":
                title = item.get("title")
            elif kind == "partial-agreement" and document == f"partial-{item.get('number')}":
                package = item.get("package")
            elif kind == "signed" and item.get("document") == document:
                signed.append(item)
    public = opening.get("public_scenario")
    if not isinstance(public, Mapping):
        raise TratadoError("this log has no opening leaf with the talks' agenda.", field="leaves",
                           fix="export the record of talks from the service.")
    issues = [i for i in public.get("agenda", {}).get("issues", []) if isinstance(i, Mapping)]
    if document == "launch":
        items = tuple((_one_line(i.get("title") or i.get("name")), "on the agenda") for i in issues)
    else:
        if signed and package is None and document == "agreement":
            package = _package_from_text(str(signed[0].get("text", "")), issues)
        if not isinstance(package, Mapping):
            raise TratadoError(f"these talks have no {document_title(document).lower()}.",
                               field="document", fix="export a document the talks have.")
        items = tuple((_one_line(i.get("title") or i.get("name")), _one_line(package[i["name"]]))
                      for i in issues if i.get("name") in package)
    texts = {str(item.get("text")) for item in signed}
    if len(texts) > 1:
        raise TratadoError(f"the heads signed different texts of {document_title(document)}.",
                           field="signed", fix="have every head sign the document again.")
    text = texts.pop() if texts else None
    signatures = tuple(HeadSignature(str(item.get("party")), str(item.get("verifier_key")),
                                     str(item.get("signature")), item.get("at"),
                                     text is not None and signature_verifies(
                                         text, str(item.get("verifier_key")), str(item.get("signature"))))
                       for item in signed)
    parties = tuple((str(p["id"]), _one_line(p.get("short_name") or p.get("name") or p["id"]))
                    for p in public.get("parties", []))
    everyone = {s.party for s in signatures if s.verified} == {pid for pid, _ in parties}
    if document.startswith("partial-"):
        status = ("Binding: signed by every head of delegation." if everyone else
                  "Provisional until the whole agenda is agreed (nothing is agreed until"
                  " everything is agreed), unless every head of delegation signs it as binding.")
    else:
        status = ("Signed by every head of delegation." if everyone
                  else "Not yet signed by every head of delegation.")
    return AgreementDocument(_one_line(title or public.get("name")), document, parties, items, status,
                             text, signatures, record_sha256, checkpoint)


def _package_from_text(text: str, issues: Sequence[Mapping[str, Any]]) -> dict[str, str] | None:
    found = {}
    for k, issue in enumerate(issues, start=1):
        prefix = f"{k}. {issue.get('title') or issue.get('name')}: "
        line = next((line for line in text.split("\n") if line.startswith(prefix)), None)
        if line is not None:
            found[str(issue["name"])] = line[len(prefix):]
    return found or None


def from_bundle(bundle: Mapping[str, Any], data: bytes | None = None,
                document: str = "agreement") -> AgreementDocument:
    """The document ``document`` of an exported bundle (:mod:`tratado.records.bundle`),
    with the verification hash of the file's bytes ``data`` and its checkpoint."""
    leaves = bundle.get("leaves")
    if not isinstance(leaves, list):
        raise TratadoError("this is not a verifiable bundle (it has no leaves).", field="leaves",
                           fix="give the file exported from the talks' record page.")
    sha = hashlib.sha256(data).hexdigest() if data is not None else None
    checkpoint = bundle.get("checkpoint")
    return from_leaves(leaves, document, record_sha256=sha,
                       checkpoint=checkpoint if isinstance(checkpoint, str) else None)


# -- rendering ----------------------------------------------------------------------------


def signature_words(doc: AgreementDocument, signature: HeadSignature) -> str:
    """One signature in words: who, with which key, when, and whether it verifies."""
    label = dict(doc.parties).get(signature.party, signature.party)
    when = f" on {signature.at}" if signature.at else ""
    verdict = ("the signature verifies" if signature.verified
               else "THE SIGNATURE DOES NOT VERIFY over this text")
    return (f"{label}: signed by the head of delegation's key {signature.key_name}"
            f" (key ID {signature.key_id}){when}; {verdict}.")


def _unsigned(doc: AgreementDocument) -> list[str]:
    signed = {s.party for s in doc.signatures}
    return [f"{label}: not signed yet." for pid, label in doc.parties if pid not in signed]


def to_markdown(doc: AgreementDocument) -> str:
    """The document in Markdown."""
    agreed = "On the agenda" if doc.document == "launch" else "Agreed"
    out = [f"# {_md(doc.title)}", "", f"**{_md(doc.talks)}**", "",
           f"Between: {_md(', '.join(label for _, label in doc.parties))}.", "",
           f"*{_md(doc.status)}*", "", f"| # | Point of the agenda | {agreed} |", "|---|---|---|"]
    out += [f"| {k} | {_md(title)} | {_md(option)} |" for k, (title, option) in
            enumerate(doc.items, start=1)]
    out += ["", "## Signatures", ""]
    out += [f"- {_md(signature_words(doc, s))}" for s in doc.signatures]
    out += [f"- {_md(line)}" for line in _unsigned(doc)]
    out += ["", "## Verification", ""]
    if doc.text_sha256:
        out.append(f"- The document's hash (its last line): sha256 `{doc.text_sha256}`")
    if doc.record_sha256:
        out.append(f"- The record (bundle file): sha256 `{doc.record_sha256}`; anyone can check it,"
                   " offline, with `tratado verify BUNDLE`")
    if doc.text is not None:
        out += ["", "The text the heads signed:", "", *_fenced(doc.text)]
    if doc.checkpoint:
        out += ["", "The record's signed checkpoint:", "", *_fenced(doc.checkpoint)]
    return "\n".join(out) + "\n"


def _fenced(text: str) -> list[str]:
    """``text`` as a code block whose fence is longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, text.rstrip("\n"), fence]


def _md(text: str) -> str:
    """``text`` as Markdown that shows it literally (no emphasis, table break or HTML)."""
    return re.sub(r"([\\`*_|\[\]])", r"\\\1", html.escape(text, quote=False))


_STYLE = ("body{font-family:Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#111;"
          "line-height:1.45}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;"
          "padding:.4em;text-align:left;vertical-align:top}pre{white-space:pre-wrap;font-size:.85em;"
          "background:#f4f4f4;padding:.6em}code{word-break:break-all}.status{font-style:italic}")


def to_html(doc: AgreementDocument) -> str:
    """The document as one self-contained HTML page (no script), made to be printed."""
    e = html.escape
    agreed = "On the agenda" if doc.document == "launch" else "Agreed"
    rows = "".join(f"<tr><td>{k}</td><td>{e(title)}</td><td>{e(option)}</td></tr>"
                   for k, (title, option) in enumerate(doc.items, start=1))
    signatures = "".join(f"<li>{e(signature_words(doc, s))}</li>" for s in doc.signatures)
    signatures += "".join(f"<li>{e(line)}</li>" for line in _unsigned(doc))
    checks = ""
    if doc.text_sha256:
        checks += (f"<li>The document's hash (its last line): sha256 <code>{e(doc.text_sha256)}</code>"
                   "</li>")
    if doc.record_sha256:
        checks += (f"<li>The record (bundle file): sha256 <code>{e(doc.record_sha256)}</code>; anyone"
                   " can check it, offline, with <code>tratado verify BUNDLE</code></li>")
    text = (f"<p>The text the heads signed:</p><pre>{e(doc.text)}</pre>"
            if doc.text is not None else "")
    checkpoint = (f"<p>The record's signed checkpoint:</p><pre>{e(doc.checkpoint)}</pre>"
                  if doc.checkpoint else "")
    parties = ", ".join(label for _, label in doc.parties)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{e(doc.title)} — {e(doc.talks)}</title><style>{_STYLE}</style></head>"
            f"<body><h1>{e(doc.title)}</h1><p><strong>{e(doc.talks)}</strong></p>"
            f"<p>Between: {e(parties)}.</p><p class=\"status\">{e(doc.status)}</p>"
            f"<table><thead><tr><th>#</th><th>Point of the agenda</th><th>{agreed}</th></tr>"
            f"</thead><tbody>{rows}</tbody></table><h2>Signatures</h2><ul>{signatures}</ul>"
            f"<h2>Verification</h2><ul>{checks}</ul>{text}{checkpoint}</body></html>\n")


__all__ = ["TITLES", "AgreementDocument", "HeadSignature", "document_title", "from_bundle",
           "from_leaves", "signature_verifies", "signature_words", "to_html", "to_markdown"]
