"""Turning a raw document into a clean article: boilerplate out, title, dateline, source, and a content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bot.reading.dates import mentioned_dates, parse_full_date, parse_iso
from bot.reading.files import DocumentError, RawDocument
from bot.rules import Rules

# Scraped pages often lose the space after a full stop: "open-sourcedThis progressive step".
_GLUED = re.compile(
    r"(?<=[a-z]{3})(?=(?:The|This|These|That|Those|To|In|For|It|Its|He|She|They|We|Many|Notably|"
    r"During|Following|Prior|Since|After|Before|Analysts|Meanwhile|However|Chinese|While|As|"
    r"According|Additionally|Furthermore|Despite|Through|With)\b)"
)
_GLUED_CAPITAL = re.compile(r"(?<=[A-Z][a-z]{2})(?=(?:The|This|These|Those|To|Many|During|Notably)\b)")


def _glued_end(m: re.Match[str]) -> str:
    """ "revenue grewThe company": a sentence end glued to the next one's first word, unless the word it is in
    starts with a capital, a name such as "TalkIn"."""
    start = m.start()
    while start > 0 and m.string[start - 1].isalpha():
        start -= 1
    return "" if m.string[start].isupper() else ". "


_FOLD = str.maketrans("’‘“”–—", "''\"\"--")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")


@dataclass
class PreparedArticle:
    title: str
    published: date | None
    source: str | None
    url: str | None
    text: str
    text_hash: str
    mentions_until: date | None
    filename: str


def content_hash(text: str) -> str:
    """Hash of the normalised text: the same article with other spacing, case or quotes hashes the same."""
    norm = unicodedata.normalize("NFKC", text).lower()
    norm = norm.translate(_FOLD)
    norm = re.sub(r"\s+", " ", norm).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _is_boilerplate(line: str, rules: Rules) -> bool:
    return any(p.search(line) for p in rules.boilerplate)


_SEPARATOR = re.compile(r"\s+[|·•]\s+")


def _clean_line(line: str, rules: Rules) -> str:
    """The line without its furniture: none when the whole line is (a counter, a reading time, a time stamp),
    else a short line of parts ("By Ana Ruiz | 6 min read") without the parts that are."""
    if _is_boilerplate(line, rules):
        return ""
    if len(line) > 160 or not _SEPARATOR.search(line):
        return line
    parts = _SEPARATOR.split(line)
    kept = [part for part in parts if not _is_boilerplate(part.strip(), rules)]
    return line if len(kept) == len(parts) else " | ".join(kept)


_BREAK = re.compile(r"^(?:[-*_=~—–]\s*){3,}$")
_KEPT_NOTE = re.compile(r"^(?:correction|clarification|update|editor'?s note)\b", re.IGNORECASE)


def _without_trailer(lines: list[str]) -> list[str]:
    """The lines without a sign-off after the one thematic break ("---"), near the end: a line or two of
    newsletter, subscription or author note, not the article. A correction after the break is the article's."""
    breaks = [index for index, line in enumerate(lines) if _BREAK.match(line)]
    if len(breaks) != 1 or breaks[0] < len(lines) // 2:  # breaks between sections: the last part is a section
        return lines
    tail = lines[breaks[0] + 1 :]
    if len(tail) > 2 or sum(len(line) for line in tail) > 300 or any(_KEPT_NOTE.match(line) for line in tail):
        return lines
    return lines[: breaks[0]]


def _dateline(line: str) -> date | None:
    """A line that is a date and little else: "August 28, 2025Comment(4)", "05/14 2025 526"."""
    found = parse_full_date(line)
    if not found:
        return None
    d, m = found
    before, after = line[: m.start()], line[m.end() :]
    if len(before.strip(" |·-–—:")) > 25 or len(after.strip()) > 25:
        return None
    return d


def _looks_like_title(line: str) -> bool:
    return 3 <= len(line) <= 200 and not line.endswith((".", ":", ";", ",")) and len(line.split()) <= 25


def _untitled(filename: str, source: str | None) -> str | None:
    """How to cite an article with no title: its source, else its file's name when that name says something
    ("q2-cloud-results.pdf" -> "q2 cloud results"; not a generated name such as "001_d3fe437d191cac0d.txt")."""
    if source:
        return f"Article from {source}"
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename.rsplit("/", 1)[-1])
    if not stem or re.search(r"[0-9a-f]{8,}", stem.lower()) or not re.search(r"[A-Za-z]{3,}", stem):
        return None
    return re.sub(r"[_\-]+", " ", stem).strip()


def _short_title(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    if len(first) <= 90:
        return first.rstrip(".")
    cut = first[:90].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def prepare(
    doc: RawDocument,
    rules: Rules,
    *,
    title: str | None = None,
    published: date | None = None,
    source: str | None = None,
    url: str | None = None,
) -> PreparedArticle:
    text = unicodedata.normalize("NFC", doc.text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = _without_trailer([clean for line in lines if line and (clean := _clean_line(line, rules))])

    found_date: date | None = None
    found_source: str | None = None
    found_title: str | None = None
    labels = "|".join(re.escape(label) for label in rules.source_labels)
    source_re = re.compile(rf"^(?:{labels})\s*:\s*(.{{2,100}})$", re.IGNORECASE)
    body: list[str] = []
    for index, line in enumerate(lines):
        near_top = index < 6
        if near_top and found_date is None and (d := _dateline(line)):
            found_date = d
            continue
        if (near_top or index >= len(lines) - 3) and found_source is None and (m := source_re.match(line)):
            found_source = m.group(1).strip()
            continue
        body.append(line)
    if len(body) > 1 and _looks_like_title(body[0]):
        found_title = body[0]  # kept in the text too: a headline states figures ("Revenue Climbs 26%")

    body = [_GLUED_CAPITAL.sub(". ", _GLUED.sub(_glued_end, line)) for line in body]
    # A blank line keeps the headline out of the first sentence's parse.
    head = body[0] + "\n\n" if found_title is not None else ""
    clean = (head + "\n".join(body[1:] if found_title is not None else body)).strip()
    if not clean:
        raise DocumentError("the file has no article text once page furniture is removed")

    meta_date: date | None = None
    if doc.published:
        found_meta = parse_full_date(doc.published)
        if found_meta:
            meta_date = found_meta[0]
        else:
            try:
                meta_date = parse_iso(doc.published[:10])
            except ValueError:
                meta_date = None
    pub = published or meta_date or found_date
    mentioned = [d for _, d in mentioned_dates(clean, pub.year if pub else None)]
    if pub:
        mentioned = [d for d in mentioned if d <= pub]
    return PreparedArticle(
        title=(
            title
            or doc.title
            or found_title
            or _untitled(doc.name, source or doc.source or found_source)
            or _short_title(clean)
        ).strip()[:500],
        published=pub,
        source=(source or doc.source or found_source),
        url=url or doc.url,
        text=clean,
        text_hash=content_hash(clean),
        mentions_until=pub or (max(mentioned) if mentioned else None),
        filename=doc.name,
    )
