"""The digest as Block Kit: a header, one section per part, each within Slack's limits (lines are added while
they fit in a section's 3,000 characters; the rest is left to lookups). Its `text` beside the blocks is the text
view, escaped."""

from __future__ import annotations

from bot.answering.model import ArticleRef
from bot.answering.views.blockkit import MAX_SECTION, Block, cite, clip, context, fit, header, mrkdwn_escape, section
from bot.answering.views.wording import Facing, plural
from bot.digest.content import Digest
from bot.digest.sections import Names, Note, Section, digest_sections, digest_title, line_words
from bot.digest.views.digest_text import digest_text

NAMES_SHOWN = 20  # names in a section; the rest are counted
LINE_ROOM = 1200  # one line's most characters (two linked citations); longer is cut at a safe place


def digest_fallback(digest: Digest, facing: Facing) -> str:
    """The digest's notification text (`text` beside the blocks), escaped: titles and names are article text."""
    return clip(mrkdwn_escape(digest_text(digest, facing)), MAX_SECTION)


def digest_blocks(digest: Digest, facing: Facing) -> list[Block]:
    """The digest as Block Kit: a header titled for the company the pack follows, one section per part, each
    capped; the rest is left to lookups with `facing.command`. Article text is escaped; mentions never ping."""
    title, command = digest_title(facing.company, digest, "–"), facing.command
    if digest.empty:
        return [section(f"*{mrkdwn_escape(title)}:* nothing new, no articles were added.")]
    out: list[Block] = [header(title), context(f"{plural(len(digest.articles), 'article')} added")]
    for part in digest_sections(digest):
        if isinstance(part, Section):
            out.append(section(_section_text(part, command)))
        elif isinstance(part, Note):
            out.append(context(mrkdwn_escape(part.text)))
        else:
            out.append(section(_names(part)))
    return fit(out)


def _section_text(part: Section, command: str) -> str:
    """The section's lines while they fit in one section block, and how many more there are."""
    head, lines = f"*{part.title}*", list[str]()
    for line in part.lines:
        words = line_words(part.kind, line, cite, mrkdwn_escape)
        if len(words) > LINE_ROOM:  # a line of article text cut inside a link would break it: drop the links
            words = clip(line_words(part.kind, line, _plain_cite, mrkdwn_escape), LINE_ROOM)
        if len(head) + sum(len(x) + 3 for x in lines) + len(words) + 3 > MAX_SECTION - 120:
            break
        lines.append(words)
    text = head + "".join(f"\n• {x}" for x in lines)
    more = part.total - len(lines)
    if more:
        text += f"\n…and {more} more: try `{mrkdwn_escape(f'{command} {part.hint}')}`"
    return text


def _plain_cite(article: ArticleRef) -> str:
    when = article.published.isoformat() if article.published else "undated"
    return f"_{mrkdwn_escape(clip(article.title, 200))}_ · {when}"


def _names(part: Names) -> str:
    shown = ", ".join(
        mrkdwn_escape(n) if c is None else f"{mrkdwn_escape(n)} ({c})" for n, c in part.names[:NAMES_SHOWN]
    )
    extra = [f"{len(part.names) - NAMES_SHOWN} more"] if len(part.names) > NAMES_SHOWN else []
    extra += [part.others] if part.others else []
    if not shown:
        return f"*{part.title}:* {' and '.join(extra)}"
    return f"*{part.title}:* {shown}{''.join(f' and {e}' for e in extra)}"
