"""Reading plain text and Markdown: the bytes decoded (UTF-8, UTF-16 with its mark, else cp1252), Markdown's marks
taken out."""

from __future__ import annotations

import re

from bot.reading.files.base import DocumentError


def decode(data: bytes) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("this looks like a binary file, not text")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return text
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DocumentError("the text is not in a readable encoding (expected UTF-8)") from exc
    # cp1252 decodes almost anything; text full of control characters was binary after all.
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > len(text) * 0.01:
        raise DocumentError("the text is not in a readable encoding (expected UTF-8)")
    return text


# Linear on any line: no part may run over a bracket, so "[[[[" or "[a]([a](" cannot make it backtrack.
_MD_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")


def from_markdown(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "• ", line)
        line = _MD_LINK.sub(r"\1", line)
        line = re.sub(r"(\*\*|__|`)", "", line)
        lines.append(line)
    return "\n".join(lines)
