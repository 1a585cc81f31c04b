"""What a piece of text read from a file may hold, and what betrays a damaged one.

Pure checks, shared by every way data comes in (the HR extract's import, the campaign
upload): ``text_problem`` returns why a value must be refused, or None. Three classes of
damage are refused, never stored:

- control characters: NUL and the other C0 controls except tab, line feed and carriage
  return; DEL and the C1 controls (which only a wrong decoding produces); lone surrogates;
  the replacement character (text already damaged by an earlier conversion); and the
  bidirectional overrides that can make one reference look like another;
- mojibake: UTF-8 text read as Windows-1252 ("SiobhÃ¡n" for "Siobhán", "Â£" for "£",
  "â€™" for "’"), which no real record holds;
- nothing else: accents, curly quotes and every script are welcome.
"""

from __future__ import annotations

import re
import unicodedata

CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1A: "SUB (end of file)",
    0x1B: "escape",
    0x7F: "DEL",
    0xFFFD: "the replacement character �",
}
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\u202a-\u202e\u2066-\u2069]")

# The bytes 0x80-0xBF (UTF-8's continuation bytes) as Windows-1252 shows them; the five it
# leaves undefined as Latin-1 shows them (C1 controls).
_CONTINUATION = "".join(
    bytes([byte]).decode("cp1252", errors="replace").replace("\ufffd", chr(byte))
    for byte in range(0x80, 0xC0)
)
# A UTF-8 lead byte (0xC2-0xF4) as Windows-1252 shows it, then continuation bytes.
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATION)}]+")
# Where the characters a wrong reading would restore lie: letters of European and other
# scripts, punctuation, currency, symbols, CJK. Not IPA, modifiers or combining marks, which
# are what "É’" (an accented capital and an apostrophe, Windows-1252) would decode to.
_PLAUSIBLE_BLOCKS = (
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and B
    (0x0370, 0x058F),  # Greek, Cyrillic, Armenian
    (0x0590, 0x06FF),  # Hebrew, Arabic
    (0x0900, 0x0DFF),  # Indic scripts
    (0x0E00, 0x0E7F),  # Thai
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, Welsh ŵ ŷ)
    (0x2000, 0x2BFF),  # punctuation, currency, letterlike, arrows, symbols
    (0x3000, 0x9FFF),  # CJK
    (0xAC00, 0xD7AF),  # Hangul
    (0x1F000, 0x1FAFF),  # emoji
)


def _as_bytes(text: str) -> bytes | None:
    """Return the bytes Windows-1252 (Latin-1 for its undefined five) would have read as ``text``."""
    out = bytearray()
    for character in text:
        try:
            out += character.encode("cp1252")
        except UnicodeEncodeError:
            if ord(character) > 0xFF:
                return None
            out.append(ord(character))
    return bytes(out)


def _sequence_length(lead: int) -> int:
    return 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3


def _restored(candidate: str) -> str | None:
    """Return what ``candidate`` (a lead byte and continuation bytes, as Windows-1252 shows
    them) would be as UTF-8, if that is one plausible character; otherwise None."""
    raw = _as_bytes(candidate)
    if raw is None:
        return None
    length = _sequence_length(raw[0])
    if len(raw) < length + 1:
        return None
    try:
        character = raw[: length + 1].decode("utf-8")
    except UnicodeDecodeError:
        return None
    code = ord(character)
    if not any(low <= code <= high for low, high in _PLAUSIBLE_BLOCKS):
        return None
    if unicodedata.category(character) in {"Mn", "Mc", "Me", "Lm", "Cc", "Cf", "Co", "Cn"}:
        return None
    return character + candidate[length + 1 :]


def mojibake(text: str) -> str | None:
    """Return ``text`` as it was meant to be, if it holds UTF-8 read as Windows-1252; else None.

    "SiobhÃ¡n" gives "Siobhán"; "Siobhán" and "SÃO PAULO" give None.
    """
    if not text.isascii():
        found = False

        def restore(match: re.Match[str]) -> str:
            nonlocal found
            restored = _restored(match.group())
            if restored is None:
                return match.group()
            found = True
            return restored

        meant = _MOJIBAKE.sub(restore, text)
        if found:
            return meant
    return None


def describe_character(character: str) -> str:
    """Return a character's name for a message: "NUL (U+0000)"."""
    code = ord(character)
    name = CONTROL_NAMES.get(code) or unicodedata.name(character, "") or "a control character"
    return f"{name} (U+{code:04X})"


def forbidden_character(text: str) -> tuple[int, str] | None:
    """Return the position (from 1) and the first character ``text`` may not hold, or None."""
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    return match.start() + 1, match.group()


def text_problem(text: str) -> str | None:
    """Return why ``text`` read from a file must be refused, or None if it may be stored."""
    if text.isascii() and text.isprintable():
        return None  # the usual case, decided at once
    found = forbidden_character(text)
    if found is not None:
        position, character = found
        return (
            f"holds {describe_character(character)} at character {position}, which no record may "
            "contain (a sign of a damaged or wrongly saved file); remove it and import again"
        )
    meant = mojibake(text)
    if meant is not None:
        return (
            f"'{text}' looks like UTF-8 text read as Windows-1252 (it would be '{meant}'); save the "
            "file again as 'CSV UTF-8' from the program that made it, and import that"
        )
    return None
