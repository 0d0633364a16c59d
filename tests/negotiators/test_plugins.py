"""Failures said in words: one sentence per kind of failure."""

from __future__ import annotations

import pytest

from tratado.negotiators import describe_failure


@pytest.mark.parametrize(("error", "said"), [
    ("RuntimeError: boom", "it raised RuntimeError (boom)."),
    ("KeyError", "it raised KeyError."),
    ("refused: there is no offer on the table to accept",
     "it made a move the rules refuse: there is no offer on the table to accept."),
    ("refused: it answered as 'p0'",
     "it answered something that is not a move of its own: it answered as 'p0'."),
    ("TimeoutError: its move took 2.1 s, over 1.0 s",
     "it ran past its time budget: its move took 2.1 s, over 1.0 s."),
    ("SystemExit: 0", "it tried to end the program (SystemExit 0), which counts as failing."),
    ("ProcessStopped: earlier: it ran past its budget of 1 s",
     "it could not move: its process had been stopped earlier: it ran past its budget of 1 s."),
])
def test_each_failure_is_one_sentence(error: str, said: str) -> None:
    failure = {"party": "employer", "negotiator": "mine", "error": error}
    assert describe_failure(failure) == f"employer's negotiator (mine) failed: {said}"
