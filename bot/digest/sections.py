"""The digest as sections and lines, decided once for every view: which parts a digest has and in which order,
which lines each part shows (the rest is left to lookups) and what to look up for the rest. The text view
(`views/digest_text`) and the Block Kit view (`views/digest_blocks`) only format what is decided here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.changes import Change
from bot.answering.model import FigureHit
from bot.digest.content import AddedArticle, Digest

SECTION_LIMIT = 8  # lines per section; the rest is left to lookups

Line = AddedArticle | Change | FigureHit


@dataclass(frozen=True)
class Section:
    """A titled list of lines: the first few of `total`, and what to look up for the others."""

    kind: str  # what its lines are: "articles", "changed", "disagreements" or "figures"
    title: str
    lines: Sequence[Line]
    total: int
    hint: str  # the lookup that shows the rest: "status" or "<topic>"

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


@dataclass(frozen=True)
class Names:
    """Names on one line, with a count beside each when it has one; each view shows as many as it has room for."""

    title: str
    names: Sequence[tuple[str, int | None]]


Part = Section | Names


def digest_title(company: str, digest: Digest, dash: str = "to") -> str:
    """ "Acme AI digest, 2025-08-01 to 2025-08-08": every view's title, the company the pack follows."""
    return f"{company} AI digest, {digest.start:%Y-%m-%d} {dash} {digest.end:%Y-%m-%d}"


def digest_sections(digest: Digest) -> list[Part]:
    """The parts of the digest in the order every view shows them; parts with nothing in them are left out."""
    lists: list[tuple[str, str, Sequence[Line], str]] = [
        ("articles", "Articles added", digest.articles, "status"),
        ("changed", "Figures that changed", digest.changed, "<topic>"),
        ("disagreements", "Sources that now disagree", digest.disagreements, "<topic>"),
        ("figures", "New figures", digest.new_figures, "<topic>"),
    ]
    parts: list[Part] = [
        Section(kind, title, lines[:SECTION_LIMIT], len(lines), hint) for kind, title, lines, hint in lists if lines
    ]
    if digest.new_entities:
        parts.append(Names("First mentioned", [(name, None) for name, _ in digest.new_entities]))
    if digest.top_entities:
        parts.append(Names("Most mentioned", digest.top_entities))
    return parts
