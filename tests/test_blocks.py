"""Block Kit rendering stays inside Slack's limits however long the answer is."""

from __future__ import annotations

from datetime import date

from bot.answering.model import Answer, ArticleRef, Claim, EntityCard, FigureHit, Passage
from bot.answering.views.answer_blocks import answer_blocks, fallback_text, help_blocks, shared_blocks
from bot.answering.views.answer_text import render_text
from bot.answering.views.blockkit import MAX_BLOCKS, MAX_FIELD, MAX_SECTION
from bot.answering.views.wording import Facing


def _texts(block: dict) -> list[str]:  # type: ignore[type-arg]
    out = []
    if "text" in block:
        out.append(block["text"]["text"])
    out += [f["text"] for f in block.get("fields", [])]
    out += [e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return out


def test_a_huge_answer_is_cut_to_fit_and_says_so() -> None:
    article = ArticleRef(1, "T" * 400, date(2025, 1, 1), "Source" * 50, None)
    long_sentence = "Alibaba " + "invested heavily and " * 400 + "grew."
    figures = [
        FigureHit(i, "money", 1e9 * i, "CNY", f"{i} billion yuan", None, None, None, long_sentence, article, None)
        for i in range(1, 40)
    ]
    answer = Answer(query="q" * 5000, kind="figure", claims=[Claim([f]) for f in figures], notes=["n" * 5000] * 30)
    blocks = answer_blocks(answer, "/acme", key="k1")
    assert len(blocks) <= MAX_BLOCKS
    assert blocks[-1]["type"] == "actions"  # the feedback and share buttons survive the cut
    assert [e["action_id"] for e in blocks[-1]["elements"]] == ["feedback_up", "feedback_down", "share_answer"]
    assert any("shortened" in t for b in blocks for t in _texts(b))
    for block in blocks:
        for text in _texts(block):
            assert len(text) <= MAX_SECTION


def test_entity_card_fields_are_within_limits() -> None:
    article = ArticleRef(1, "Title", None)
    card = EntityCard("Name", "person", ["alias " * 10] * 200, 3, [Passage("s", article)] * 3, [article], 1)
    blocks = answer_blocks(Answer(query="Name", kind="entity", entity=card), "/acme")
    fields = [f for b in blocks for f in b.get("fields", [])]
    assert fields and all(len(f["text"]) <= MAX_FIELD for f in fields)
    assert "undated" in str(blocks)


def test_help_and_a_shared_answer_are_rendered_by_the_answer_view() -> None:
    help_ = help_blocks(Facing("A<b>", "/a<b>", ("capex", "status")))[0]["text"]["text"]
    assert help_.startswith("Ask about A&lt;b&gt;'s") and "/a&lt;b&gt; capex" in help_ and "<b>" not in help_
    stored = answer_blocks(
        Answer(query="q", kind="passages", passages=[Passage("s", ArticleRef(1, "T", None))]), "/acme"
    )
    shared = shared_blocks(stored, "U0SHARER1")
    assert shared[:-1] == stored and shared[-1]["elements"][0]["text"] == "Shared by <@U0SHARER1>"
    assert shared_blocks(stored, None)[-1]["elements"][0]["text"] == "Shared"
    assert len(shared_blocks([stored[0]] * 60, "U0SHARER1")) == MAX_BLOCKS


def test_the_fallback_text_is_the_text_view_escaped() -> None:
    answer = Answer(query="<!channel>", kind="none", corpus_size=3)
    answer.text = render_text(answer)
    assert fallback_text(answer) == render_text(answer).replace("<", "&lt;").replace(">", "&gt;")
