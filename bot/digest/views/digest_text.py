"""The digest as plain text: what `python -m bot digest` and the console print; escaped, it is also the `text`
Slack shows beside the digest's blocks."""

from __future__ import annotations

from bot.answering.model import ArticleRef
from bot.answering.views.wording import Facing, plural
from bot.digest.content import Digest
from bot.digest.sections import Names, Note, Section, digest_sections, digest_title, line_words

NAMES_SHOWN = 15  # names on a line; the rest are counted


def digest_text(digest: Digest, facing: Facing) -> str:
    """The digest titled for the company the pack follows; `facing.command` in the hints to look up the rest."""
    title, command = digest_title(facing.company, digest), facing.command
    if digest.empty:
        return f"Nothing new in the {title}: no articles were added."
    lines = [f"{title}: {plural(len(digest.articles), 'article')} added."]
    for part in digest_sections(digest):
        if isinstance(part, Section):
            lines.append(part.title + ":")
            lines.extend(f"  • {line_words(part.kind, line, _cite, _plain)}" for line in part.lines)
            if part.more:
                lines.append(f"  …and {part.more} more: try {command} {part.hint}")
        elif isinstance(part, Note):
            lines.append(part.text)
        else:
            lines.append(_names(part))
    return "\n".join(lines)


def _plain(text: str) -> str:
    return text


def _cite(a: ArticleRef) -> str:
    """ "Cloud revenue climbs, 2025-08-29, Wire": title, date and outlet (and the link when there is one)."""
    parts = [a.title, a.published.isoformat() if a.published else "undated", a.source, a.url]
    return ", ".join(p for p in parts if p)


def _names(part: Names) -> str:
    shown = ", ".join(n if c is None else f"{n} ({c})" for n, c in part.names[:NAMES_SHOWN])
    extra = [f"{len(part.names) - NAMES_SHOWN} more"] if len(part.names) > NAMES_SHOWN else []
    extra += [part.others] if part.others else []
    if not shown:
        return f"{part.title}: {' and '.join(extra)}."
    return f"{part.title}: {shown}{''.join(f' and {e}' for e in extra)}."
