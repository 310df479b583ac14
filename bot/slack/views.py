"""Modal views: the `/alibaba add` form for admins, the 👎 / "Report a wrong figure" form, and the admins'
figure correction form. Article and user text in them is escaped like everywhere else."""

from __future__ import annotations

import json
from typing import Any

from bot.answering.views.blockkit import clip, mrkdwn_escape, quote, section
from bot.store.feedback import CORRECTABLE, REASONS

ADD_CALLBACK = "add_article"
FEEDBACK_CALLBACK = "answer_feedback"
CORRECT_CALLBACK = "correct_figure"
FILE_TYPES = ["txt", "md", "html", "pdf", "docx"]
MAX_OPTION = 75  # characters in an option's text
FIELD_LABELS = {
    "text": "Figure as shown",
    "value": "Value (a number)",
    "unit": "Unit",
    "subject": "Subject",
    "metric": "Metric",
    "period": "Period",
}


def _plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " "}


def add_article_view() -> dict[str, Any]:
    def text_input(block_id: str, label: str, placeholder: str, multiline: bool = False) -> dict[str, Any]:
        return {
            "type": "input",
            "block_id": block_id,
            "optional": True,
            "label": {"type": "plain_text", "text": label},
            "element": {
                "type": "plain_text_input",
                "action_id": block_id,
                "multiline": multiline,
                "placeholder": {"type": "plain_text", "text": placeholder},
            },
        }

    return {
        "type": "modal",
        "callback_id": ADD_CALLBACK,
        "title": {"type": "plain_text", "text": "Add an article"},
        "submit": {"type": "plain_text", "text": "Add"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "file",
                "optional": True,
                "label": {"type": "plain_text", "text": "File (.txt, .md, .html, .pdf, .docx)"},
                "element": {"type": "file_input", "action_id": "file", "filetypes": FILE_TYPES, "max_files": 5},
            },
            text_input("text", "…or paste the article", "Title on the first line, then the text", multiline=True),
            text_input("title", "Title", "Found in the text when left empty"),
            {
                "type": "input",
                "block_id": "published",
                "optional": True,
                "label": {"type": "plain_text", "text": "Publication date"},
                "element": {"type": "datepicker", "action_id": "published"},
            },
            text_input("source", "Source", "e.g. Reuters"),
            {
                "type": "input",
                "block_id": "url",
                "optional": True,
                "label": {"type": "plain_text", "text": "URL"},
                "element": {"type": "url_text_input", "action_id": "url"},
            },
        ],
    }


def submitted(view: dict[str, Any]) -> dict[str, Any]:
    """The add form's values: files (ids and names), pasted text, title, date, source, url."""
    values = view.get("state", {}).get("values", {})

    def value(block: str) -> Any:
        element = values.get(block, {}).get(block, {})
        return element.get("value") or element.get("selected_date") or element.get("files")

    return {
        "files": value("file") or [],
        "text": (value("text") or "").strip(),
        "title": value("title"),
        "published": value("published"),
        "source": value("source"),
        "url": value("url"),
    }


def feedback_view(key: str, query: str, figures: list[dict[str, Any]], figure_id: int | None = None) -> dict[str, Any]:
    """What was wrong with an answer: a reason, the figure (preselected from "Report a wrong figure"), a note."""
    options = {r: {"text": _plain(label), "value": r} for r, label in REASONS.items()}
    reason: dict[str, Any] = {"type": "radio_buttons", "action_id": "reason", "options": list(options.values())}
    if figure_id is not None:
        reason["initial_option"] = options["wrong_figure"]
    blocks: list[dict[str, Any]] = [
        section(f"What was wrong with the answer to “{mrkdwn_escape(clip(query, 300))}”?"),
        {"type": "input", "block_id": "reason", "label": _plain("Reason"), "element": reason},
    ]
    if figures:
        choices = [{"text": _plain(f["text"], MAX_OPTION), "value": str(f["id"])} for f in figures[:100]]
        select: dict[str, Any] = {
            "type": "static_select",
            "action_id": "figure",
            "options": choices,
            "placeholder": _plain("Which figure?"),
        }
        chosen = next((c for c in choices if c["value"] == str(figure_id)), None)
        if chosen:
            select["initial_option"] = chosen
        blocks.append(
            {"type": "input", "block_id": "figure", "optional": True, "label": _plain("Figure"), "element": select}
        )
    blocks.append(
        {
            "type": "input",
            "block_id": "note",
            "optional": True,
            "label": _plain("Anything else?"),
            "element": {"type": "plain_text_input", "action_id": "note", "multiline": True, "max_length": 2000},
        }
    )
    return {
        "type": "modal",
        "callback_id": FEEDBACK_CALLBACK,
        "private_metadata": json.dumps({"k": key}),
        "title": _plain("Report a problem", 24),
        "submit": _plain("Send"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def _state(view: dict[str, Any], block: str) -> dict[str, Any]:
    return dict(view.get("state", {}).get("values", {}).get(block, {}).get(block, {}))


def feedback_submitted(view: dict[str, Any]) -> dict[str, Any]:
    """The feedback form's values: answer key, reason, figure id (or None) and note."""
    try:
        key = str(json.loads(view.get("private_metadata") or "{}").get("k") or "")
    except ValueError:
        key = ""
    reason = (_state(view, "reason").get("selected_option") or {}).get("value")
    figure = (_state(view, "figure").get("selected_option") or {}).get("value")
    return {
        "key": key,
        "reason": reason if reason in REASONS else None,
        "figure": int(figure) if figure and figure.isdigit() else None,
        "note": (_state(view, "note").get("value") or "").strip(),
    }


def correction_view(report_id: int, current: dict[str, str], sentence: str, cite: str) -> dict[str, Any]:
    """An admin corrects one figure: each field prefilled with what answers show now."""
    blocks: list[dict[str, Any]] = [section(f"{quote(sentence)}\n{cite}")]
    for name in CORRECTABLE:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": name, "max_length": 200}
        if current.get(name):
            element["initial_value"] = clip(current[name], 200)
        blocks.append(
            {
                "type": "input",
                "block_id": name,
                "optional": True,
                "label": _plain(FIELD_LABELS[name]),
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": CORRECT_CALLBACK,
        "private_metadata": json.dumps({"r": report_id}),
        "title": _plain("Correct a figure", 24),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def correction_submitted(view: dict[str, Any]) -> tuple[int | None, dict[str, str]]:
    try:
        report = json.loads(view.get("private_metadata") or "{}").get("r")
    except ValueError:
        report = None
    values = {name: (_state(view, name).get("value") or "").strip() for name in CORRECTABLE}
    return (int(report) if isinstance(report, int) else None), values
