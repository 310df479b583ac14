"""Modal views: the `/alibaba add` form for admins."""

from __future__ import annotations

from typing import Any

ADD_CALLBACK = "add_article"
FILE_TYPES = ["txt", "md", "html", "pdf", "docx"]


def add_article_view() -> dict[str, Any]:
    def text_input(block_id: str, label: str, placeholder: str, multiline: bool = False) -> dict[str, Any]:
        return {"type": "input", "block_id": block_id, "optional": True,
                "label": {"type": "plain_text", "text": label},
                "element": {"type": "plain_text_input", "action_id": block_id, "multiline": multiline,
                            "placeholder": {"type": "plain_text", "text": placeholder}}}

    return {
        "type": "modal",
        "callback_id": ADD_CALLBACK,
        "title": {"type": "plain_text", "text": "Add an article"},
        "submit": {"type": "plain_text", "text": "Add"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "input", "block_id": "file", "optional": True,
             "label": {"type": "plain_text", "text": "File (.txt, .md, .html, .pdf, .docx)"},
             "element": {"type": "file_input", "action_id": "file", "filetypes": FILE_TYPES, "max_files": 5}},
            text_input("text", "…or paste the article", "Title on the first line, then the text", multiline=True),
            text_input("title", "Title", "Found in the text when left empty"),
            {"type": "input", "block_id": "published", "optional": True,
             "label": {"type": "plain_text", "text": "Publication date"},
             "element": {"type": "datepicker", "action_id": "published"}},
            text_input("source", "Source", "e.g. Reuters"),
            {"type": "input", "block_id": "url", "optional": True, "label": {"type": "plain_text", "text": "URL"},
             "element": {"type": "url_text_input", "action_id": "url"}},
        ],
    }


def submitted(view: dict[str, Any]) -> dict[str, Any]:
    """The add form's values: files (ids and names), pasted text, title, date, source, url."""
    values = view.get("state", {}).get("values", {})

    def value(block: str) -> Any:
        element = values.get(block, {}).get(block, {})
        return element.get("value") or element.get("selected_date") or element.get("files")

    return {"files": value("file") or [], "text": (value("text") or "").strip(), "title": value("title"),
            "published": value("published"), "source": value("source"), "url": value("url")}
