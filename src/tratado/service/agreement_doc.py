"""The documents heads of delegation sign, and the agreement exported as a document.

**The signed text.** What a head signs — the launching document, a partial agreement,
the final agreement — is a short text in the agenda's words (:func:`document_text`)::

    tratado document
    Talks: Venezuela 2021 — Mexico City talks
    Document: Agreement
    Parties: Government (government); Unitary Platform (opposition)
    1. Political rights for all: case-by-case review
    2. Electoral guarantees for all / …: 2024 date, EU/UN/Carter + register
    …
    Public scenario: sha256 5c1e…
    Record: tratado/talks/venezuela-2021 41 T980…=
    Text: sha256 9a0b…

Every line but the last says what is agreed; ``Record`` (when given) names the log's
checkpoint at the time, which ties the document to the verifiable record; the last line
is the sha256 of the lines above it, what people quote to name the document. The text
is the text of a C2SP signed note (:mod:`tratado.records.note`): each head's signature
is a note signature line, ``— <key name> <base64(key ID ‖ Ed25519 signature)>``, made
in the browser (``static/signing.js``) or with ``tratado keys``; :func:`signed_note`
and :func:`check_signatures` put them together and check them with the heads' verifier
keys, so standard transparency-log tools can check them too.

**The export.** :func:`to_markdown` and :func:`to_html` render an
:class:`AgreementDocument` — the items in the agenda's words, what is provisional, the
signatures and whether each verifies, the signed text, its hash, and the verification
hash of the record (the sha256 of the bundle file, which ``tratado verify`` prints).
The HTML is one self-contained page made to be printed (a browser prints it to PDF).
:func:`from_bundle` builds the document of a bundle's agreement.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tratado.errors import TratadoError
from tratado.records.note import NoteError, VerifierKey, check_text, parse_note, verify_note

KINDS = {"launch": "Launching document", "partial": "Partial agreement", "agreement": "Agreement"}
"""The documents heads sign, by kind, and their title."""

HEADER = "tratado document"


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def _issue_title(issue: Mapping[str, Any]) -> str:
    return _one_line(issue.get("title") or issue.get("name"))


def party_labels(public: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(id, label)`` of each party of a public scenario (short name, else name, else id)."""
    return [(str(p["id"]), _one_line(p.get("short_name") or p.get("name") or p["id"]))
            for p in public.get("parties", [])]


def document_text(public: Mapping[str, Any], kind: str, package: Mapping[str, Any] | None = None,
                  *, record: str | None = None, binding: bool = False) -> str:
    """The text heads sign (see the module docstring) for ``public``, a scenario's public
    part (:func:`tratado.records.public_scenario`, a bundle's ``public_scenario``).

    ``kind``: ``"launch"`` (the agenda the talks will cover and their rules),
    ``"partial"`` (the issues of ``package`` agreed so far: provisional until the whole
    agenda is agreed unless ``binding``) or ``"agreement"`` (``package`` names every
    issue). ``record``: the log's checkpoint at the time, as ``origin size root``."""
    if kind not in KINDS:
        raise TratadoError(f"there is no kind of document '{kind}'.", field="kind",
                           fix=f"use one of: {', '.join(KINDS)}.")
    issues = list(public.get("agenda", {}).get("issues", []))
    parties = "; ".join(f"{label} ({pid})" for pid, label in party_labels(public))
    lines = [HEADER, f"Talks: {_one_line(public.get('name'))}", f"Document: {KINDS[kind]}",
             f"Parties: {parties}"]
    if kind == "launch":
        for k, issue in enumerate(issues, start=1):
            lines.append(f"{k}. {_issue_title(issue)}")
        rule = public.get("rules", {}).get("agreement", "package")
        lines.append("Rule: nothing is agreed until everything is agreed" if rule == "package"
                     else "Rule: the issues are agreed one by one")
    else:
        package = dict(package or {})
        names = [str(issue["name"]) for issue in issues]
        unknown = sorted(set(package) - set(names))
        if unknown:
            raise TratadoError(f"the agenda has no issue '{unknown[0]}'.", field="package",
                               fix="name issues of the talks' agenda.")
        if kind == "agreement" and len(package) != len(names):
            missing = next(n for n in names if n not in package)
            raise TratadoError(f"the agreement leaves out '{missing}'.", field="package",
                               fix="an agreement settles every issue; sign a partial agreement instead.")
        if not package:
            raise TratadoError("the document agrees on nothing.", field="package",
                               fix="name at least one issue and its option.")
        for k, issue in enumerate(issues, start=1):
            if issue["name"] in package:
                option = _one_line(package[issue["name"]])
                if option not in [_one_line(o) for o in issue.get("options", [option])]:
                    raise TratadoError(f"'{_issue_title(issue)}' has no option '{option}'.",
                                       field=f"package.{issue['name']}",
                                       fix="choose one of the issue's options.")
                lines.append(f"{k}. {_issue_title(issue)}: {option}")
        if kind == "partial":
            lines.append("Status: binding" if binding else
                         "Status: provisional until the whole agenda is agreed")
    public_hash = hashlib.sha256(_canonical(public)).hexdigest()
    lines.append(f"Public scenario: sha256 {public_hash}")
    if record is not None:
        lines.append(f"Record: {_one_line(record)}")
    body = "".join(f"{line}\n" for line in lines)
    text = body + f"Text: sha256 {text_hash(body)}\n"
    try:
        return check_text(text)
    except NoteError as error:
        raise TratadoError(f"the document cannot be signed: {error}.", field="agenda",
                           fix="remove control characters from the agenda's words.") from None


def _canonical(value: Any) -> bytes:
    from tratado.records.canonical import canonical_value

    return canonical_value(value).encode("utf-8")


def text_hash(body: str) -> str:
    """sha256 (hex) of the document's lines above its ``Text:`` line."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def signed_note(text: str, signature_lines: Sequence[str]) -> str:
    """The signed note: the document text, a blank line, the heads' signature lines
    (``— NAME BASE64``, each as the browser or ``tratado keys`` made it)."""
    lines = "".join(line.rstrip("\n") + "\n" for line in signature_lines)
    note = check_text(text) + "\n" + lines
    try:
        parse_note(note)
    except NoteError as error:
        raise TratadoError(f"a signature is malformed: {error}.", field="signature",
                           fix="sign again from the round page, or with `tratado keys`.") from None
    return note


@dataclass(frozen=True)
class SignatureCheck:
    """One head's signature: the key's ``name`` and ``key_id``, and ``verified``
    (checked with a verifier key given; ``False`` when no key for it was given)."""

    name: str
    key_id: str
    verified: bool


def check_signatures(note: str, keys: Sequence[VerifierKey]) -> list[SignatureCheck]:
    """Check every signature of a signed document with the heads' verifier ``keys``;
    a signature by a known key that does not verify is a ``TratadoError`` naming it."""
    try:
        _, checked = verify_note(note, keys)
    except NoteError as error:
        raise TratadoError(f"the signed document does not verify: {error}.", field="signature",
                           fix="the text or a signature was changed: ask for the document again.") from None
    return [SignatureCheck(c.name, c.key_id, c.verified) for c in checked]


@dataclass(frozen=True)
class AgreementDocument:
    """An agreement to export: ``talks`` (its name), ``kind``, ``items`` (``(issue
    title, option)`` in agenda order), ``parties`` (labels), ``text`` (what was signed),
    ``signatures``, ``status`` (what is provisional), ``record_sha256`` (the bundle
    file's sha256, the verification hash) and ``checkpoint`` (the log's signed tree
    head)."""

    talks: str
    kind: str
    items: tuple[tuple[str, str], ...]
    parties: tuple[str, ...]
    text: str
    signatures: tuple[SignatureCheck, ...] = ()
    status: str | None = None
    record_sha256: str | None = None
    checkpoint: str | None = None

    @property
    def text_sha256(self) -> str:
        """The hash on the text's last line (what people quote to name it)."""
        return self.text.rstrip("\n").rsplit("sha256 ", 1)[-1]


def document(public: Mapping[str, Any], kind: str, package: Mapping[str, Any] | None = None, *,
             note: str | None = None, keys: Sequence[VerifierKey] = (), record: str | None = None,
             binding: bool = False, record_sha256: str | None = None,
             checkpoint: str | None = None) -> AgreementDocument:
    """The :class:`AgreementDocument` of ``package`` on ``public`` (see
    :func:`document_text`); ``note``: the signed note, whose text must be this
    document's text, its signatures checked with ``keys``."""
    text = document_text(public, kind, package, record=record, binding=binding)
    signatures: tuple[SignatureCheck, ...] = ()
    if note is not None:
        try:
            signed, _ = parse_note(note)
        except NoteError as error:
            raise TratadoError(f"the signed document is malformed: {error}.", field="signature",
                               fix="ask for the signed document again.") from None
        if signed != text:
            raise TratadoError("the signed text is not this document's text.", field="signature",
                               fix="sign the document as it stands now.")
        signatures = tuple(check_signatures(note, keys))
    issues = public.get("agenda", {}).get("issues", [])
    chosen = package or {}
    items = tuple((_issue_title(i), _one_line(chosen[i["name"]])) for i in issues if i["name"] in chosen)
    if kind == "launch":
        items = tuple((_issue_title(i), "on the agenda") for i in issues)
    status = ("Binding." if binding else "Provisional until the whole agenda is agreed"
              " (nothing is agreed until everything is agreed).") if kind == "partial" else None
    return AgreementDocument(_one_line(public.get("name")), kind, items,
                             tuple(label for _, label in party_labels(public)), text, signatures,
                             status, record_sha256, checkpoint)


def from_bundle(bundle: Mapping[str, Any], data: bytes | None = None, note: str | None = None,
                keys: Sequence[VerifierKey] = ()) -> AgreementDocument:
    """The agreement of a verifiable bundle (:mod:`tratado.records.bundle`) as a
    document: the agenda from its opening leaf, the agreement from its closing leaf, the
    verification hash from the file's bytes ``data``, its checkpoint, and the heads'
    signed ``note`` when given."""
    leaves = bundle.get("leaves") or []
    opening = leaves[0].get("opening", {}) if leaves and isinstance(leaves[0], dict) else {}
    closing = leaves[-1].get("closing", {}) if leaves and isinstance(leaves[-1], dict) else {}
    public = opening.get("public_scenario")
    agreement = closing.get("agreement")
    if not isinstance(public, dict) or not isinstance(agreement, dict):
        raise TratadoError("this bundle records no agreement.", field="closing.agreement",
                           fix="export the record of talks that ended in an agreement.")
    record = None
    if note is not None:
        record = next((line[len("Record: "):] for line in note.split("\n")
                       if line.startswith("Record: ")), None)
    sha = hashlib.sha256(data).hexdigest() if data is not None else None
    checkpoint = str(bundle.get("checkpoint", "")) or None
    return document(public, "agreement", agreement, note=note, keys=keys, record=record,
                    record_sha256=sha, checkpoint=checkpoint)


# -- rendering ----------------------------------------------------------------------------


def _signature_words(s: SignatureCheck) -> str:
    return f"{s.name} (key {s.key_id}): " + ("signature verified" if s.verified
                                             else "signature not checked (no key given)")


def to_markdown(doc: AgreementDocument) -> str:
    """The document in Markdown."""
    out = [f"# {KINDS[doc.kind]}", "", f"**{_md(doc.talks)}**", "",
           f"Between: {_md(', '.join(doc.parties))}.", ""]
    if doc.status:
        out += [f"*{_md(doc.status)}*", ""]
    out += ["| # | Point of the agenda | " + ("Agreed" if doc.kind != "launch" else "") + " |",
            "|---|---|---|"]
    out += [f"| {k} | {_md(title)} | {_md(option)} |" for k, (title, option) in
            enumerate(doc.items, start=1)]
    out += ["", "## Signatures", ""]
    out += [f"- {_md(_signature_words(s))}" for s in doc.signatures] or ["- not signed yet"]
    out += ["", "## Verification", "", f"- Document hash: sha256 `{doc.text_sha256}`"]
    if doc.record_sha256:
        out.append(f"- Record (bundle file) hash: sha256 `{doc.record_sha256}`; check it with"
                   " `tratado verify BUNDLE`")
    out += ["", "The signed text:", "", *_fenced(doc.text), ""]
    if doc.checkpoint:
        out += ["The record's signed checkpoint:", "", *_fenced(doc.checkpoint), ""]
    return "\n".join(out)


def _fenced(text: str) -> list[str]:
    """``text`` as a code block whose fence is longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, text.rstrip("\n"), fence]


def _md(text: str) -> str:
    """``text`` as Markdown that shows it literally (no emphasis, table break or HTML)."""
    return re.sub(r"([\\`*_|\[\]])", r"\\\1", html.escape(text, quote=False))


_STYLE = ("body{font-family:Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#111}"
          "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.4em;"
          "text-align:left;vertical-align:top}pre{white-space:pre-wrap;font-size:.85em;"
          "background:#f4f4f4;padding:.6em}.status{font-style:italic}")


def to_html(doc: AgreementDocument) -> str:
    """The document as one self-contained HTML page, made to be printed."""
    e = html.escape
    rows = "".join(f"<tr><td>{k}</td><td>{e(title)}</td><td>{e(option)}</td></tr>"
                   for k, (title, option) in enumerate(doc.items, start=1))
    signatures = "".join(f"<li>{e(_signature_words(s))}</li>" for s in doc.signatures) or (
        "<li>not signed yet</li>")
    status = f'<p class="status">{e(doc.status)}</p>' if doc.status else ""
    record = (f"<li>Record (bundle file) hash: sha256 <code>{e(doc.record_sha256)}</code>; check it"
              " with <code>tratado verify BUNDLE</code></li>" if doc.record_sha256 else "")
    checkpoint = (f"<p>The record's signed checkpoint:</p><pre>{e(doc.checkpoint)}</pre>"
                  if doc.checkpoint else "")
    agreed = "Agreed" if doc.kind != "launch" else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{e(KINDS[doc.kind])} — {e(doc.talks)}</title><style>{_STYLE}</style></head>"
            f"<body><h1>{e(KINDS[doc.kind])}</h1><p><strong>{e(doc.talks)}</strong></p>"
            f"<p>Between: {e(', '.join(doc.parties))}.</p>{status}"
            f"<table><thead><tr><th>#</th><th>Point of the agenda</th><th>{agreed}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table><h2>Signatures</h2><ul>{signatures}</ul>"
            f"<h2>Verification</h2><ul><li>Document hash: sha256 <code>{e(doc.text_sha256)}</code>"
            f"</li>{record}</ul><p>The signed text:</p><pre>{e(doc.text)}</pre>{checkpoint}"
            "</body></html>\n")


__all__ = ["KINDS", "AgreementDocument", "SignatureCheck", "check_signatures", "document",
           "document_text", "from_bundle", "party_labels", "signed_note", "text_hash", "to_html",
           "to_markdown"]
