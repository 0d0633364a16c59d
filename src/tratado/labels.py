"""Labels and names people read: one spelling for one meaning.

A scenario shared between delegations must not hold two option labels that look the
same but are different strings, nor text that displays differently from what it
says. Every option label, title, display name and note that tratado reads is:

* normalised to Unicode NFC (so ``café`` typed as ``e`` + combining accent is the
  same label as ``café`` typed with ``é``);
* refused when it holds control characters (tab and line breaks allowed in notes
  and descriptions only) or invisible formatting characters that reorder or hide
  text: the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069), the directional marks (U+200E, U+200F, U+061C), zero-width space,
  word joiner, byte-order mark and the line and paragraph separators.

Within one issue, options are also refused when they are equal after NFC and case
folding, or when they look alike (:func:`look_alike_key` maps Cyrillic and Greek
letters that look like Latin ones to those Latin letters); and a single word that
mixes Latin letters with Cyrillic ones is refused as a likely look-alike (Greek
letters are allowed inside Latin words: ``μg``, ``pH-β``).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from tratado.errors import ScenarioError
from tratado.limits import excerpt

#: Characters refused in any text tratado reads, with the name shown in messages.
FORBIDDEN = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE", "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK", "\u061c": "ARABIC LETTER MARK",
    "\u200b": "ZERO WIDTH SPACE", "\u2060": "WORD JOINER", "\ufeff": "BYTE ORDER MARK",
    "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR",
}

# Cyrillic and Greek letters that look like Latin letters (after case folding).
_LOOK_ALIKE = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "n",
    "ι": "i", "κ": "k", "μ": "m", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "γ": "y",
})


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return "OTHER"


@lru_cache(maxsize=4096)
def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` in NFC, refusing control and invisible formatting characters.

    ``multiline`` allows tab and line feed (descriptions, notes). The answers for the
    last few thousand texts are kept (a forecast rebuilds the same parties' names for
    every sample); a refusal is not kept, it is raised again."""
    for position, ch in enumerate(text):
        if ch in FORBIDDEN:
            raise ScenarioError(
                f"the text holds an invisible {FORBIDDEN[ch]} character (U+{ord(ch):04X}) at "
                f"position {position + 1}, which changes how it is displayed.",
                fix="retype the text without it (it is often pasted in by accident).")
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in "\t\n"):
            where = "" if multiline else " (line breaks and tabs belong in notes, not in names)"
            raise ScenarioError(
                f"the text holds the control character U+{ord(ch):04X} at position "
                f"{position + 1}{where}.", fix="remove it.")
    return unicodedata.normalize("NFC", text)


def mixed_script_word(text: str) -> str | None:
    """The first word that mixes Latin letters with Cyrillic ones, if any."""
    word: list[str] = []
    for ch in [*text, " "]:
        if ch.isalpha() or unicodedata.category(ch) == "Mn":
            word.append(ch)
            continue
        scripts = {s for s in map(_script, word) if s}
        # Latin with Cyrillic only: Greek letters in Latin words are common in units and
        # names (μg/L, pH-β), while Cyrillic ones there are almost always look-alikes.
        if {"LATIN", "CYRILLIC"} <= scripts:
            return "".join(word)
        word = []
    return None


def look_alike_key(text: str) -> str:
    """What ``text`` looks like: NFC, case-folded, look-alike letters mapped to Latin."""
    return unicodedata.normalize("NFC", text).casefold().translate(_LOOK_ALIKE)


def check_option_labels(issue: str, labels: tuple[str, ...]) -> None:
    """Refuse options of one issue that a reader could not tell apart."""
    seen: dict[str, str] = {}
    for label in labels:
        mixed = mixed_script_word(label)
        if mixed is not None:
            raise ScenarioError(
                f"issue '{issue}': option '{excerpt(label)}' mixes Latin and Cyrillic letters in the "
                f"word '{excerpt(mixed)}', so it may be mistaken for another label.",
                fix="write each word in one alphabet.")
        key = look_alike_key(label)
        if key in seen:
            how = ("differ only in letter case" if seen[key].casefold() == label.casefold()
                   else "look alike")
            raise ScenarioError(
                f"issue '{issue}': options '{excerpt(seen[key])}' and '{excerpt(label)}' {how}; "
                "a reader cannot tell them apart.", fix="give the options clearly different labels.")
        seen[key] = label
