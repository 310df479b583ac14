"""Whether an item is on topic: it names the followed company or a name of the catalog, and passes its feed's
include and exclude words. Names are matched as the articles write them (case-sensitive, whole words); a feed's
words in any case."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.rules import Rules


def _pattern(names: Iterable[str], *, ignore_case: bool) -> re.Pattern[str] | None:
    parts = []
    for name in sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True):
        escaped = re.escape(name)
        # A name in a script without spaces between words (阿里巴巴) is matched inside a run of text.
        parts.append(escaped if not name.isascii() else rf"(?<!\w){escaped}(?!\w)")
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE if ignore_case else 0)


@cache
def _names_pattern(rules: Rules) -> re.Pattern[str] | None:
    names = list(rules.company.names)
    for entry in rules.catalog:
        names += [entry.name, *entry.aliases]
    return _pattern(names, ignore_case=False)


def off_topic_reason(
    rules: Rules, title: str, text: str, include: Iterable[str] = (), exclude: Iterable[str] = ()
) -> str | None:
    """Why the item is off-topic, or None when it is on topic."""
    whole = f"{title}\n{text}"
    names = _names_pattern(rules)
    if names is None or not names.search(whole):
        return f"off-topic: names neither {rules.company.name} nor a company or product of the catalog"
    include = [w for w in include if w.strip()]
    if include:
        wanted = _pattern(include, ignore_case=True)
        if wanted is not None and not wanted.search(whole):
            return f"off-topic: names none of the feed's words ({', '.join(include)[:120]})"
    unwanted = _pattern(exclude, ignore_case=True)
    if unwanted is not None and (hit := unwanted.search(whole)):
        return f"off-topic: names {hit.group(0)!r}, a word the feed excludes"
    return None
