"""Deciding, with certainty or not at all, how the bytes of a text file are to be read.

Accepted: UTF-8 (with or without the byte-order mark Excel writes), UTF-16 with its
byte-order mark, and Windows-1252 (Excel's plain "CSV" on a UK PC) only where the whole
file is plausibly Windows-1252. Anything else is refused naming the first line that does
not fit, because a file read the wrong way garbles every name in it, silently:

- UTF-8 is taken when every byte is valid UTF-8 (plain ASCII is UTF-8 too).
- A file that is mostly UTF-8 with a few stray bytes (a Windows-1252 "é" pasted into a
  UTF-8 file) mixes encodings: read either way, some of it would be garbled.
- Otherwise the file must decode as Windows-1252; charset-normalizer must find it written
  in a Latin script in a single-byte encoding (not Shift-JIS, Big5, Cyrillic or Greek, say);
  and every character beyond ASCII must be one a UK HR file holds, where it would hold it:
  a letter, in a word that is mostly plain letters, and no capital after a small letter; or
  one of the typographic signs Excel writes (£ € ’ “ – ...), never inside a word (but the
  apostrophe of O’Brien), a currency sign not glued to a letter. Text in another encoding
  read as Windows-1252 fails one of these ("“c’†" is Japanese, "Ïåòðîâ" Russian, "£ukasz"
  Polish, "CafŽ" and "Mu–oz" Mac Roman).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes
from charset_normalizer.cd import encoding_unicode_range
from charset_normalizer.utils import is_multi_byte_encoding

from foundation.text import mojibake

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
SAVE_AS = "Save it from Excel as 'CSV UTF-8 (Comma delimited)' and import it again."
# The typographic characters Windows-1252 text from Excel or Word holds beyond letters.
SYMBOLS = set("£€‘’‚“”„–—…•·°©®™§«»¿¡´½¼¾\u00a0")
CURRENCY = set("£€")
# IPA letters and spacing modifiers: what Windows-1252 bytes that happen to be valid UTF-8 decode
# to (a capital with an accent, then a curly quote), and no HR record holds.
SUSPECT_IN_UTF8 = re.compile("[\u0250-\u02ff]")
OPENING = set("¡¿‘“‚„«")
INSIDE_WORDS = set("’\u00a0")  # the only signs found between two letters of a word (O’Brien)
FRACTIONS = set("½¼¾")
NOT_NAME_LETTERS = set("ƒµªº")  # letters by Unicode, but never in a name or a word of a record
SAMPLE_BYTES = 4096
# Below this many bytes beyond ASCII, every single-byte encoding fits and charset-normalizer's
# choice among them means nothing; the characters themselves decide.
EVIDENCE_BYTES = 8
# Windows-1252 for the bytes it defines, Latin-1 (a C1 control) for the five it leaves undefined:
# a reading that never fails, to look for UTF-8 text in a file that is not all UTF-8.
_CP1252 = {
    byte: bytes([byte]).decode("cp1252")
    for byte in range(0x80, 0xA0)
    if bytes([byte]).decode("cp1252", errors="ignore")
}


class NotDecodable(ValueError):
    """The file's encoding cannot be decided with certainty; the message says where and what to do."""


@dataclass(frozen=True)
class Decoded:
    """A text file's text and the encoding it was read in."""

    text: str
    encoding: str  # "UTF-8", "UTF-16" or "Windows-1252"
    note: str | None = None  # for the person importing, when it was not UTF-8


def _line_at(content: bytes, position: int, encoding: str) -> int:
    """Return the number of the line (from 1) the byte at ``position`` lies on."""
    if encoding.startswith("utf-16"):
        prefix = content[: position - position % 2].decode(encoding, errors="replace")
        return prefix.count("\n") + 1
    return content[:position].count(b"\n") + 1


def _strict(content: bytes, encoding: str, label: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as error:
        line = _line_at(content, error.start, encoding)
        raise NotDecodable(
            f"The file starts with the mark of {label} text, but line {line} is not {label} (the file "
            f"mixes encodings, so it cannot be read with certainty). {SAVE_AS}"
        ) from None


def looks_binary(content: bytes) -> bool:
    """Return whether ``content`` is plainly not a text file (a PDF, an image, an archive, ...)."""
    start = content[:SAMPLE_BYTES]
    return start.startswith(BINARY_MAGIC) or start.count(b"\x00") > 4


def decode_text(content: bytes) -> Decoded:
    """Return the text of a CSV file's bytes, or raise ``NotDecodable`` saying why it cannot be read."""
    if content.startswith(UTF32_BOMS):
        raise NotDecodable(f"The file is UTF-32 text, which is not accepted. {SAVE_AS}")
    if content.startswith(UTF8_BOM):
        return Decoded(_strict(content[len(UTF8_BOM) :], "utf-8", "UTF-8"), "UTF-8")
    if content.startswith(UTF16_BOMS):
        encoding = "utf-16-le" if content.startswith(b"\xff\xfe") else "utf-16-be"
        return Decoded(_strict(content[2:], encoding, "UTF-16"), "UTF-16", "read as UTF-16 text")
    if looks_binary(content):
        zeros = content[:SAMPLE_BYTES:2].count(0) + content[1:SAMPLE_BYTES:2].count(0)
        if zeros > len(content[:SAMPLE_BYTES]) // 4:
            raise NotDecodable(f"The file is UTF-16 text without its byte-order mark. {SAVE_AS}")
        raise NotDecodable("This is not a text file. Upload a CSV or XLSX file.")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        first_not_utf8 = _line_at(content, error.start, "utf-8")
    else:
        _check_not_windows_1252(content, text)
        return Decoded(text, "UTF-8")
    return Decoded(
        _windows_1252(content, first_not_utf8), "Windows-1252", "read as Windows-1252 text (not UTF-8)"
    )


def _check_not_windows_1252(content: bytes, text: str) -> None:
    """Raise ``NotDecodable`` if valid UTF-8 ``text`` holds characters only an accident of
    Windows-1252 bytes produces (IPA letters, spacing modifiers: "JOSÉ’S" in Windows-1252 is
    valid UTF-8 for "JOSɒS") while the bytes read plausibly as Windows-1252: either reading
    could be meant."""
    suspect = SUSPECT_IN_UTF8.search(text)
    if suspect is None:
        return
    try:
        other = content.decode("cp1252")
    except UnicodeDecodeError:
        return
    if all(_plausible_line(line) for line in other.split("\n")):
        line = text.count("\n", 0, suspect.start()) + 1
        raise NotDecodable(
            f"The file cannot be read with certainty: line {line} reads as "
            f"'{_shown(text.split(chr(10))[line - 1])}' as UTF-8 but as "
            f"'{_shown(other.split(chr(10))[line - 1])}' as Windows-1252. {SAVE_AS}"
        )


def _windows_1252(content: bytes, first_not_utf8: int) -> str:
    """Return ``content`` read as Windows-1252 if the whole of it plausibly is; else raise."""
    for number, raw in enumerate(content.split(b"\n"), start=1):
        if not raw.isascii() and _utf8(raw) and mojibake(raw.decode("latin-1").translate(_CP1252)):
            raise NotDecodable(
                f"The file mixes encodings: line {number} is UTF-8 text, but line {first_not_utf8} is "
                f"not UTF-8. Read either way, some names would be garbled. {SAVE_AS}"
            )
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError as error:
        line = _line_at(content, error.start, "cp1252")
        raise NotDecodable(
            f"The file is neither UTF-8 nor Windows-1252 text: line {line} holds a byte that neither "
            f"can hold. {SAVE_AS}"
        ) from None
    lines = text.split("\n")
    implausible = next(
        (number for number, line in enumerate(lines, start=1) if not _plausible_line(line)), None
    )
    script = _other_script(content) if sum(1 for byte in content if byte > 0x7F) >= EVIDENCE_BYTES else None
    if script is not None or implausible is not None:
        line = implausible or next(number for number, line in enumerate(lines, start=1) if not line.isascii())
        what = "it does not read as Windows-1252 text" + (f" (it may be {script})" if script else "")
        raise NotDecodable(
            f"The file is not UTF-8, and {what}: line {line} would read as "
            f"'{_shown(lines[line - 1])}'. {SAVE_AS}"
        )
    return text


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _shown(line: str, width: int = 80) -> str:
    line = line.rstrip("\r")
    return line if len(line) <= width else line[: width - 1] + "…"


def _other_script(content: bytes) -> str | None:
    """Return the encoding charset-normalizer finds ``content`` to be in, if none of the readings
    it finds plausible is a single-byte encoding of a Latin script (as Windows-1252 is)."""
    matches = from_bytes(content)
    if any(_latin_single_byte(match.encoding) for match in matches):
        return None
    best = matches.best()
    return best.encoding if best is not None else "an unknown encoding's"


def _latin_single_byte(encoding: str) -> bool:
    if is_multi_byte_encoding(encoding):
        return False
    try:
        return all("Latin" in name for name in encoding_unicode_range(encoding))
    except OSError:
        return False


def _capital_inside_word(line: str, position: int) -> bool:
    """Return whether the capital at ``position`` sits inside a word as no name has one: after a
    small letter ("CafŽ"), or between a capital and a small letter ("MŸller"). Irish names'
    one-letter prefixes are fine: "Ó hÉigeartaigh", "i nÉirinn"."""
    before = line[position - 1 : position] if position else ""
    after = line[position + 1 : position + 2]
    if not before.isalpha():
        return False
    word_start = position < 2 or not line[position - 2].isalpha()
    if before.islower():
        return not word_start
    return after.islower()


def _plausible_line(line: str) -> bool:
    """Return whether every character of ``line`` beyond ASCII is one Windows-1252 text from a
    UK HR system holds, where it would hold it."""
    if line.isascii():
        return True
    if mojibake(line) is not None:
        return False
    for position, character in enumerate(line):
        if character.isascii():
            continue
        after = line[position + 1 : position + 2]
        before = line[position - 1 : position] if position else ""
        if character in SYMBOLS:
            if character in CURRENCY and after.isalpha():
                return False  # "£ukasz": a currency sign glued to a word
            if character in FRACTIONS and (after.isalpha() or before.isalpha()):
                return False
            if character == "\u00a0" and before.islower() and after.islower():
                return False  # a no-break space inside a word
            if character not in INSIDE_WORDS and before.isalpha() and after.isalpha():
                return False  # "Mu–oz", "H‚lene": a sign inside a word is a letter read wrongly
            if character in OPENING and before.isalpha():
                return False  # "Garc¡a", "Zo‘": what opens a quote or a question follows no letter
            if character == "”" and after.isalpha():
                return False
            continue
        category = unicodedata.category(character)
        if category not in {"Lu", "Ll"} or character in NOT_NAME_LETTERS:
            return False
        if category == "Lu" and _capital_inside_word(line, position):
            return False  # "CafŽ", "MŸller": a capital inside a word is a small letter read wrongly
    for word in re.findall(r"[^\W\d_]{3,}", line):
        beyond = sum(1 for character in word if not character.isascii())
        if beyond * 2 > len(word):
            return False  # "Ïåòðîâ": a word of accented letters is another alphabet read wrongly
    return True
