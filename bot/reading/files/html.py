"""Reading HTML pages with lxml's C parser (linear time, no network, no entities) and an iterative tree walk; the
article's own element is kept and its page furniture dropped (see `furniture`)."""

from __future__ import annotations

import re
from typing import Any

from bot.reading.files.base import DocumentError, Limits, RawDocument
from bot.reading.files.furniture import article_body, strip_always, strip_furniture

# A line break goes before and after each of these, as a reader sees them.
BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "div", "section", "br"})
PARSER_DEPTH = 256  # libxml2 stops a document nested deeper than this


def _too_deep(limits: Limits) -> DocumentError:
    depth = min(limits.max_html_depth, PARSER_DEPTH)
    return DocumentError(f"cannot read this HTML: its tags are nested more than {depth} levels deep")


def from_html(html: str, name: str, limits: Limits) -> RawDocument:
    from lxml import etree

    parser = etree.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, default_doctype=False
    )
    try:
        root = etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise _too_deep(limits)  # the parser gave up part way; what it kept is not the page
    if root is None:
        raise DocumentError("the file has no text in it")

    def first(path: str, **variables: str) -> str | None:
        for found in root.xpath(path, **variables):
            value = found if isinstance(found, str) else " ".join(found.itertext())
            if value and value.strip():
                return re.sub(r"\s+", " ", str(value)).strip()
        return None

    def meta(*keys: str) -> str | None:
        for key in keys:
            if value := first("//meta[@property=$key or @name=$key]/@content", key=key):
                return value
        return None

    title = meta("og:title", "twitter:title") or first("//h1") or first("//title")
    published = meta("article:published_time", "datePublished", "date", "pubdate") or first("//time/@datetime")
    source = meta("og:site_name", "application-name")
    url = meta("og:url")
    strip_always(root)
    body = article_body(root)
    strip_furniture(body)
    text = "\n".join(re.sub(r"[ \t\xa0]+", " ", line).strip() for line in _text(body, limits).splitlines())
    return RawDocument(text=text, name=name, title=title, published=published, source=source, url=url)


def _text(top: Any, limits: Limits) -> str:
    """The text under `top`, block elements on lines of their own; iterative, so any depth is safe."""
    from lxml import etree

    parts: list[str] = []
    depth = 0
    for event, element in etree.iterwalk(top, events=("start", "end")):
        block = isinstance(element.tag, str) and element.tag.lower() in BLOCKS
        if event == "start":
            depth += 1
            if depth > limits.max_html_depth:
                raise _too_deep(limits)
            if block:
                parts.append("\n")
            if isinstance(element.tag, str) and element.text:
                parts.append(element.text)
        else:
            depth -= 1
            if block:
                parts.append("\n")
            if element is not top and element.tail:
                parts.append(element.tail)
    return "".join(parts)
