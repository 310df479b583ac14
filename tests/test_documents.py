"""Reading each supported file type, and a clear one-line refusal for every kind of bad input."""

from __future__ import annotations

import pytest

from bot.reading.articles import content_hash, prepare
from bot.reading.documents import DocumentError, read_bytes
from tests.docs_factory import ARTICLE_LINES, docx_bytes, pdf_bytes

LIMIT = 5_000_000


def test_plain_text_with_title_dateline_and_boilerplate(rules) -> None:  # type: ignore[no-untyped-def]
    raw = "\n".join([
        "August 28, 2025Comment(4)", "", "Alibaba Reassesses Cloud Strategy", "", "Advertisements",
        "Alibaba said revenue rose.", "Also Read: Something else entirely", "Error message", "Error message",
    ]).encode()
    article = prepare(read_bytes(raw, "a.txt", LIMIT), rules)
    assert article.title == "Alibaba Reassesses Cloud Strategy"
    assert article.published.isoformat() == "2025-08-28"
    # The headline stays the first line of the text: it can state figures of its own.
    assert article.text == "Alibaba Reassesses Cloud Strategy\n\nAlibaba said revenue rose."


@pytest.mark.parametrize("dateline", ["05/14 2025 526", "May 14, 2025", "14 May 2025", "2025-05-14"])
def test_datelines(dateline: str, rules) -> None:  # type: ignore[no-untyped-def]
    raw = f"A Title Line\n\n{dateline}\n\nBody text of the article goes here.".encode()
    assert prepare(read_bytes(raw, "a.txt", LIMIT), rules).published.isoformat() == "2025-05-14"


def test_glued_sentences_are_split(rules) -> None:  # type: ignore[no-untyped-def]
    raw = b"Title\n\nIt will be open-sourcedThis step matters. The release is expected shortlyTo help users."
    text = prepare(read_bytes(raw, "a.txt", LIMIT), rules).text
    assert "open-sourced. This step" in text and "shortly. To help" in text


def test_same_text_with_other_spacing_and_quotes_hashes_the_same() -> None:
    assert content_hash("Alibaba’s  plan\n is “big”.") == content_hash("alibaba's plan is \"big\".")
    assert content_hash("Alibaba plan") != content_hash("Alibaba plans")


def test_markdown(rules) -> None:  # type: ignore[no-untyped-def]
    raw = b"# Qwen Passes 400 Million Downloads\n\n**Alibaba** said [Qwen](https://qwen.ai) grew fast.\n"
    article = prepare(read_bytes(raw, "a.md", LIMIT), rules)
    assert article.title == "Qwen Passes 400 Million Downloads"
    assert article.text.split("\n\n") == ["Qwen Passes 400 Million Downloads", "Alibaba said Qwen grew fast."]


def test_html_takes_metadata_and_drops_page_furniture(rules) -> None:  # type: ignore[no-untyped-def]
    html = """<html><head><title>Site | x</title>
      <meta property="og:title" content="Alibaba Cloud Grows">
      <meta property="og:site_name" content="Example News">
      <meta property="article:published_time" content="2025-08-29T08:00:00Z">
      <script>var tracking = 1;</script></head>
      <body><nav>Home | World</nav><article><h1>Alibaba Cloud Grows</h1>
      <p>Alibaba Cloud revenue rose 26% to 33.4 billion yuan.</p><p>Demand for AI stayed strong.</p></article>
      <footer>Copyright</footer></body></html>"""
    article = prepare(read_bytes(html.encode(), "a.html", LIMIT), rules)
    assert (article.title, article.source, article.published.isoformat()) == (
        "Alibaba Cloud Grows", "Example News", "2025-08-29")
    assert "tracking" not in article.text and "Home" not in article.text and "Copyright" not in article.text
    assert "33.4 billion yuan" in article.text


def test_pdf_with_text_layer(rules) -> None:  # type: ignore[no-untyped-def]
    article = prepare(read_bytes(pdf_bytes(ARTICLE_LINES), "a.pdf", LIMIT), rules)
    assert article.title == "Alibaba Names New Cloud Chief"
    assert article.published.isoformat() == "2025-09-03"
    assert "12,000 cloud employees" in article.text


def test_docx(rules) -> None:  # type: ignore[no-untyped-def]
    article = prepare(read_bytes(docx_bytes(ARTICLE_LINES), "a.docx", LIMIT), rules)
    assert article.title == "Alibaba Names New Cloud Chief"
    assert "5 billion yuan" in article.text


BAD = [
    (b"", "a.txt", "empty"),
    (b"   \n\t \n", "a.txt", "empty"),
    (b"\x00\x01\x02binary\x00data" * 10, "a.txt", "binary"),
    (b"some text", "a.exe", "unsupported file type (.exe)"),
    (b"some text", "README", "unsupported file type (no extension)"),
    (bytes(range(0x80, 0x9F)) * 20, "a.txt", "encoding"),
    (b"x" * 101, "a.txt", "over the limit"),
    (pdf_bytes([]), "a.pdf", "no text layer"),
    (b"%PDF-1.4 this is not really a pdf", "a.pdf", "cannot read this PDF"),
    (b"PK\x03\x04 not a docx", "a.docx", "cannot read this .docx"),
    (b"Advertisements\nError message\n", "a.txt", "no article text"),
]


@pytest.mark.parametrize(("data", "name", "reason"), BAD, ids=[b[2] + "-" + b[1] for b in BAD])
def test_bad_input_has_a_clear_reason(data: bytes, name: str, reason: str, rules) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DocumentError) as info:
        prepare(read_bytes(data, name, 100 if reason == "over the limit" else LIMIT), rules)
    message = str(info.value)
    assert reason in message
    assert "\n" not in message and "Traceback" not in message
