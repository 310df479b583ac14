"""The digest as sections and lines, decided once for every view: which parts a digest has and in which order,
which lines each part shows (the rest is left to lookups), what to look up for the rest, and the words of each
labelled fact. The text view (`views/digest_text`) and the Block Kit view (`views/digest_blocks`) only format
what is decided here (the Block Kit view links each article that has a URL and escapes article text)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.answering.changes import Change
from bot.answering.model import ArticleRef, FigureHit
from bot.digest.content import CONFLICT_LABELS, STATUS_LABELS, AddedArticle, Digest

SECTION_LIMIT = 8  # lines per section; the rest is left to lookups

Line = AddedArticle | Change | FigureHit


@dataclass(frozen=True)
class Section:
    """A titled list of lines: the first few of `total`, and what to look up for the others."""

    kind: str  # what its lines are: "articles", "changed", "disagreements", "results" or "plans"
    title: str
    lines: Sequence[Line]
    total: int
    hint: str  # the lookup that shows the rest: "status" or "<topic>"

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


@dataclass(frozen=True)
class Names:
    """Names on one line, with a count beside each when it has one; each view shows as many as it has room for.
    `others` names not listed (only counted) and what they are."""

    title: str
    names: Sequence[tuple[str, int | None]]
    others: str = ""


@dataclass(frozen=True)
class Note:
    """A sentence about what is counted, not listed."""

    text: str


Part = Section | Names | Note


def digest_title(company: str, digest: Digest, dash: str = "to") -> str:
    """ "Acme AI digest, 2025-08-01 to 2025-08-08": every view's title, the company the pack follows."""
    return f"{company} AI digest, {digest.start:%Y-%m-%d} {dash} {digest.end:%Y-%m-%d}"


def digest_sections(digest: Digest) -> list[Part]:
    """The parts of the digest in the order every view shows them; parts with nothing in them are left out."""
    lists: list[tuple[str, str, Sequence[Line], str]] = [
        ("articles", "Articles added", digest.articles, "status"),
        ("changed", "Figures that changed", digest.changed, "<topic>"),
        ("disagreements", "Sources that now disagree", digest.disagreements, "<topic>"),
        ("results", "New results", digest.results, "<topic>"),
        ("plans", "New plans and forecasts", digest.plans, "<topic>"),
    ]
    parts: list[Part] = [
        Section(kind, title, lines[:SECTION_LIMIT], len(lines), hint) for kind, title, lines, hint in lists if lines
    ]
    if digest.unlabelled:
        parts.append(Note(f"{_count(digest.unlabelled, 'new figure')} without a named subject or metric, not listed."))
    if digest.new_entities or digest.other_names:
        others = (
            f"{_count(digest.other_names, 'other new name')} the catalog does not list" if digest.other_names else ""
        )
        parts.append(Names("First mentioned", [(name, None) for name, _ in digest.new_entities], others))
    if digest.top_entities:
        parts.append(Names("Most mentioned", digest.top_entities))
    return parts


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# The words of each line, with the article cited and text escaped by the view that shows it.
Cite = Callable[[ArticleRef], str]
Escape = Callable[[str], str]


def fact_label(f: FigureHit, esc: Escape) -> str:
    """ "Alibaba Cloud · quarterly revenue growth": whose figure and what it measures."""
    return f"{esc(f.entity or 'no subject')} · {esc(f.metric or 'no metric')}"


def fact_when(f: FigureHit) -> str:
    """The period or as-of date a figure holds for ("Apr–Jun 2025", "as of 2025-01-31"); a reported level the
    text gives no date for holds as of the date it is placed at (its article's); a plan without one says so."""
    if f.when:
        return f.when
    if f.status in ("plan", "forecast", "estimate"):
        return "no date given"
    return f"as of {f.placed_on.isoformat()}" if f.placed_on else "undated"


def amount(f: FigureHit, esc: Escape) -> str:
    """ "over 26% (Apr–Jun 2025)": the amount as written, its hedge, and when it holds."""
    said = " ".join(p for p in (f.qualifier, f.text) if p)
    return f"{esc(said)} ({esc(fact_when(f))})"


def line_words(kind: str, line: Line, cite: Cite, esc: Escape) -> str:
    """One line of a section: a labelled fact, or an article added and by whom."""
    if isinstance(line, AddedArticle):
        also = f"; also in: {', '.join(esc(o) for o in line.also_in[:5])}" if line.also_in else ""
        return f"{cite(line.article)} — added by {esc(line.who)} on {line.added_at:%Y-%m-%d}{also}"
    if isinstance(line, Change):
        old, new = line.old, line.new
        if kind == "changed":
            sources = (
                cite(new.article) if old.article.id == new.article.id else f"{cite(old.article)} → {cite(new.article)}"
            )
            said = f", reported {new.article.published.isoformat()}" if new.article.published else ""
            return f"{fact_label(new, esc)}: {amount(old, esc)} → {amount(new, esc)}{said} ({sources})"
        kinds = f"{STATUS_LABELS.get(old.status, old.status)} vs {STATUS_LABELS.get(new.status, new.status)}"
        return (
            f"{fact_label(new, esc)}: {amount(old, esc)} ({cite(old.article)}) vs {amount(new, esc)}"
            f" ({cite(new.article)}): {CONFLICT_LABELS.get(line.conflict, 'sources disagree')} ({kinds})"
        )
    status = STATUS_LABELS.get(line.status, line.status)
    return f"{fact_label(line, esc)}: {amount(line, esc)}, {status} ({cite(line.article)})"
