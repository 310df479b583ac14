"""Passages and honest refusals: the sentences that best match a query, or close names to try instead."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answering.figure_select import entity_names
from bot.answering.model import Answer, ArticleRef, Passage
from bot.answering.query import Lexicon, Plan
from bot.answering.semantic import similarity
from bot.rules import Rules
from bot.store.models import Article, Sentence
from bot.store.search import group_expression, match_expression, ranked_window
from bot.store.words import stems

MAX_PASSAGES = 5
_SAYS_SOMETHING = re.compile(
    r"\d|\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b"
)
PASSAGE_WINDOW = 120


def passages(session: Session, plan: Plan) -> list[Passage]:
    """Sentences that best match the query, ranked by coverage and FTS5's bm25 within the window."""
    groups = list(plan.groups)
    names = entity_names(session, plan.entity_id) if plan.entity_id is not None else None
    if names:  # about that name only; with nothing, the caller shows the name's card instead
        expressions = [
            match_expression([names, *groups], "AND"),
            f"{group_expression(names)} AND ({match_expression(groups, 'OR')})",
        ]
    else:
        expressions = [match_expression(groups, "AND"), match_expression(groups, "OR")]
    bm25: dict[int, float] = {}
    for expression in dict.fromkeys(expressions):
        if expression:
            for sid, rank in ranked_window(session, expression, limit=PASSAGE_WINDOW):
                bm25.setdefault(sid, rank)
        if len(bm25) >= MAX_PASSAGES:
            break
    if not bm25:
        return []
    hits = list(bm25)
    best = min(bm25.values()) or -1.0
    rows = session.execute(
        select(
            Sentence.id,
            Sentence.text,
            Article.id,
            Article.title,
            Article.published,
            Article.source,
            Article.url,
            Article.mentions_until,
        )
        .join(Article, Article.id == Sentence.article_id)
        .where(Sentence.id.in_(hits))
    ).all()
    passages: dict[str, Passage] = {}
    texts = list(dict.fromkeys(r[1] for r in rows))
    meaning = dict(zip(texts, map(float, similarity(plan.query, texts)), strict=True)) if plan.semantic else {}
    for sid, sentence, aid, title, published, source, url, until in rows:
        if sentence in passages:
            continue
        sentence_stems = set(stems(sentence))
        covered = sum(g.coverage(sentence_stems) for g in groups) / len(groups)
        if covered < 0.5 or len(sentence.split()) < 4:
            continue
        score = 3.0 * covered + 1.5 * bm25[sid] / best  # FTS5's bm25, relative to the best in the window
        # A heading or a question names the topic but says nothing about it; a date or a number usually does.
        length = len(sentence.split())
        score -= 1.0 if length < 8 else 0.0
        score -= 1.0 if sentence.rstrip().endswith("?") else 0.0
        score += 0.5 if _SAYS_SOMETHING.search(sentence) else 0.0
        if plan.semantic:
            score += 1.5 * meaning.get(sentence, 0.0)  # close in meaning, in other words
        if names is not None and names.matched_by(sentence_stems):
            score += 1.0
        passages[sentence] = Passage(
            sentence, ArticleRef(aid, title, published, source, url, published or until), score
        )
    return sorted(passages.values(), key=lambda p: -p.score)[:MAX_PASSAGES]


def none_answer(answer: Answer, plan: Plan, lexicon: Lexicon, rules: Rules) -> Answer:
    """Nothing answers: say so, with close names and words to try."""
    answer.kind = "none"
    names = lexicon.names
    asks = [a for c in rules.concepts for a in c.ask]
    suggestions: list[str] = []
    for word in plan.unknown or [plan.query]:
        for pool, cutoff in ((names, 70), (asks, 75), (lexicon.term_list, 80)):
            for match in process.extract(word, pool, scorer=fuzz.ratio, limit=2, score_cutoff=cutoff):
                if match[0] not in suggestions and match[0].lower() != word.lower():
                    suggestions.append(str(match[0]))
    answer.suggestions = suggestions[:5]
    return answer
