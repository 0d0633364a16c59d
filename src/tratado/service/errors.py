"""What the service refuses, each with the HTTP status the API answers with.

Every refusal is a :class:`~tratado.errors.TratadoError`: one message saying what is
wrong, the field, and the fix. The API answers ``{"error": message, "field": ...,
"fix": ...}`` with the status below; the pages show the message. Nothing the service
refuses is a server error.
"""

from __future__ import annotations

from tratado.errors import TratadoError


class ServiceError(TratadoError):
    """A request the service refuses (``status``: the HTTP status of the answer)."""

    status = 400


class BadInput(ServiceError):
    """The request is malformed or names something that does not exist in the talks."""

    status = 422


class Unauthenticated(ServiceError):
    """No valid session cookie or API token."""

    status = 401


class NotAllowed(ServiceError):
    """The principal's role or party does not allow this."""

    status = 403


class NotFound(ServiceError):
    """No such thing, or nothing the principal may know exists."""

    status = 404


class Refused(ServiceError):
    """The talks' rules or lifecycle do not allow this now (the talks are unchanged)."""

    status = 409


class RateLimited(ServiceError):
    """Too many failed logins; wait before trying again."""

    status = 429


def no_such_talks(talks_id: str) -> NotFound:
    """The one answer for talks that do not exist *and* for talks the principal is not part
    of: a stranger learns nothing about which talks exist."""
    return NotFound(f"there are no talks '{talks_id[:64]}' that you are part of.",
                    field="talks_id", fix="check the link, or ask the mediator to invite you.")
