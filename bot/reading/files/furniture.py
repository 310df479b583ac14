"""Page furniture in HTML: the parts of a web page that are not the article's own text.

A page carries, around its article, navigation, related-story headlines, comment and share counters, newsletter and
cookie boxes, tags and footers. Each is found by what the HTML says it is, never by its words:

- its element (`nav`, `aside`, `footer`, `form`, `button`, a `header` that does not hold the page's title);
- the words of its class, id, role or aria-label ("related-stories", "comment-count", `role="navigation"`);
- its link density: a list or box whose text is mostly link text is a list of links (other stories, sections),
  while a paragraph of prose that holds a link keeps it.

Nothing that holds the article's title or its chosen body is ever dropped, whatever its class says."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

# Elements that never hold article text.
ALWAYS = ("script", "style", "noscript", "iframe", "svg", "template", "button", "select", "input", "textarea")
# Elements that are furniture unless they hold the article (a <header> holding the title stays).
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "form", "header", "dialog", "menu"})
# Words of a class, id or aria-label that say an element is furniture.
FURNITURE_WORDS = frozenset(
    {
        "related",
        "recommended",
        "recommendations",
        "recirculation",
        "trending",
        "popular",
        "mostread",
        "newsletter",
        "newsletters",
        "subscribe",
        "subscription",
        "signup",
        "paywall",
        "share",
        "sharing",
        "shares",
        "social",
        "comment",
        "comments",
        "promo",
        "promotion",
        "promoted",
        "advert",
        "advertisement",
        "ad",
        "ads",
        "sponsored",
        "sidebar",
        "breadcrumb",
        "breadcrumbs",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "footer",
        "header",
        "masthead",
        "nav",
        "navbar",
        "navigation",
        "menu",
        "tags",
        "tag",
        "readtime",
        "outbrain",
        "taboola",
        "toolbar",
        "banner",
        "modal",
        "popup",
    }
)
# Two words in a row that together say so ("more-stories", "read-next", "most-read").
FURNITURE_PAIRS = frozenset(
    {
        ("more", "stories"),
        ("more", "news"),
        ("read", "next"),
        ("read", "more"),
        ("most", "read"),
        ("most", "popular"),
        ("most", "viewed"),
        ("you", "may"),
        ("also", "like"),
        ("reading", "time"),
        ("read", "time"),
        ("site", "search"),
        ("sign", "up"),
        ("up", "next"),
        ("top", "stories"),
    }
)
ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search", "menu"})
# Boxes judged by link density, and how much of their text may be link text before they are a list of links.
LINK_BOXES = frozenset({"ul", "ol", "dl", "table", "div", "section", "p", "h2", "h3", "h4", "h5", "h6", "li"})
LINK_SHARE = 0.6
_WORD = re.compile(r"[a-z]+")


def _words(element: Any) -> list[str]:
    label = " ".join(element.get(key) or "" for key in ("class", "id", "aria-label"))
    return _WORD.findall(re.sub(r"([a-z])([A-Z])", r"\1 \2", label).lower())


def says_furniture(element: Any) -> bool:
    """Whether the element's tag, role, class, id or aria-label names it as furniture."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in FURNITURE_TAGS:
        return True
    if (element.get("role") or "").strip().lower() in ROLES:
        return True
    words = _words(element)
    return any(word in FURNITURE_WORDS for word in words) or any(pair in FURNITURE_PAIRS for pair in pairwise(words))


def _text_length(element: Any) -> int:
    return len(re.sub(r"\s+", "", "".join(element.itertext())))


def _measure(body: Any) -> dict[Any, tuple[int, int]]:
    """Each element's text length and the part of it inside links, in one walk from the leaves up."""
    from lxml import etree

    sizes: dict[Any, tuple[int, int]] = {}
    for _, element in etree.iterwalk(body, events=("end",)):
        if not isinstance(element.tag, str):
            continue
        text = len(re.sub(r"\s+", "", element.text or ""))
        total, links = text, 0
        for child in element:
            child_total, child_links = sizes.get(child, (0, 0))
            tail = len(re.sub(r"\s+", "", child.tail or ""))
            total += child_total + tail
            links += child_links
        if element.tag.lower() == "a":
            links = total
        sizes[element] = (total, links)
    return sizes


def mostly_links(element: Any, total: int, links: int) -> bool:
    """A box whose text is mostly link text: a list of headlines or sections, not a paragraph that holds a link."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag not in LINK_BOXES or total == 0:
        return False
    if tag == "p" and links < total * 0.9:
        return False  # prose that holds links is prose
    return links >= total * LINK_SHARE


def _protected(body: Any) -> set[Any]:
    """The article's element, what encloses it, and what holds its title (its first <h1>): never dropped."""
    kept: set[Any] = {body, *body.iterancestors()}
    for title in body.iter("h1"):
        kept.add(title)
        kept.update(title.iterancestors())
        break
    return kept


def strip_always(root: Any) -> None:
    """Drop the elements that never hold article text (scripts, styles, controls)."""
    from lxml import etree

    etree.strip_elements(root, *ALWAYS, with_tail=False)


def strip_furniture(body: Any) -> None:
    """Drop, in place, every element under `body` that is furniture by its tag, its labels, or its links."""
    from lxml import etree

    kept = _protected(body)
    sizes = _measure(body)
    doomed: list[Any] = []
    walker = etree.iterwalk(body, events=("start",))
    for _, element in walker:
        if not isinstance(element.tag, str) or element in kept:
            continue
        if says_furniture(element) or mostly_links(element, *sizes.get(element, (0, 0))):
            doomed.append(element)
            walker.skip_subtree()
    for element in doomed:
        _drop(element)


def _drop(element: Any) -> None:
    """Remove the element but keep the text that follows it (its tail belongs to its parent)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def article_body(root: Any) -> Any:
    """The element that holds the article: the <article> with most text, unless it holds little of the page's
    text (a page whose <article> holds only the headline), then <main>, then <body>."""
    body = next(iter(root.xpath("//body")), root)
    whole = max(_text_length(body), 1)
    articles = sorted(root.xpath("//article | //*[@itemprop='articleBody']"), key=_text_length, reverse=True)
    mains = sorted(root.xpath("//main | //*[@role='main']"), key=_text_length, reverse=True)
    main = mains[0] if mains else None
    if articles and _text_length(articles[0]) >= 0.5 * (_text_length(main) if main is not None else whole):
        return articles[0]
    if main is not None and _text_length(main) >= 0.3 * whole:
        return main
    return body
