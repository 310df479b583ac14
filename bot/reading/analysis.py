"""From a parsed article to rows: sentences, entity mentions and figures, with no database involved."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span

from bot.reading.article_facts import reconcile
from bot.reading.entities import FoundMention, alias_key, find_mentions
from bot.reading.figures import FoundFigure, MentionSpan, extract_figures
from bot.reading.measures import vocabulary_of
from bot.reading.metric_qualifiers import plain_when_alone
from bot.reading.nlp import distinct_words
from bot.reading.periods import (
    Resolver,
    TimeContext,
    calendars_of,
    estimate_article_date,
    quarters_named,
)
from bot.reading.records import ArticleReader, Measure
from bot.reading.subjects import Salience
from bot.rules import Rules
from bot.store.words import STOPWORDS, stem

CONTEXT_WINDOW = 8  # tokens either side of a figure that say what it is about


@dataclass
class SentenceRow:
    start: int
    end: int
    text: str
    mentions: list[FoundMention] = field(default_factory=list)
    figures: list[FoundFigure] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)  # one per figure
    measures: list[Measure] = field(default_factory=list)  # one per figure


@dataclass
class Analysis:
    sentences: list[SentenceRow]
    terms: Counter[str]
    today: date | None = None  # the article's date, or its estimate when it states none

    @property
    def mention_count(self) -> int:
        return sum(len(s.mentions) for s in self.sentences)

    @property
    def figure_count(self) -> int:
        return sum(len(s.figures) for s in self.sentences)


def analyse(doc: Doc, rules: Rules, default_date: date | None, *, published: date | None = None) -> Analysis:
    """Sentences, mentions and figure records of one parsed article.

    `default_date` is the article's date or, for an undated article, the latest date it mentions; `published`
    is the date it states (None for an undated article, whose date is then estimated).
    """
    mentions = find_mentions(doc, rules)
    place_types = {"place"}
    doc_text = doc.text
    # Each sentence with its text, the article's between its offsets (a span builds it anew, token by token,
    # each time it is asked).
    sents = [(s, text) for s in doc.sents if (text := doc_text[s.start_char : s.end_char]).strip()]
    calendars = calendars_of(rules.fiscal)
    focus = frozenset(e.name for e in rules.catalog if e.focus)
    main_cal = calendars.of(next(iter(focus), None))
    ctx = TimeContext(
        today=published or default_date, dated=published is not None, fiscal_text=" fiscal " in f" {doc_text.lower()} "
    )
    probe = Resolver(ctx, main_cal, None)
    named = {i: q for i, (_, text) in enumerate(sents) if (q := quarters_named(text, probe))}
    if published is None:
        ctx.today = estimate_article_date(
            [default_date] if default_date else [], [q[1] for qs in named.values() for q in qs], main_cal.lag_days
        )
    catalog = dict(_catalog_keys(rules))
    reader = ArticleReader(vocabulary_of(rules.metrics), calendars, ctx, Salience(focus=focus, catalog=catalog), named)
    rows: list[SentenceRow] = []
    for index, (sent, sent_text) in enumerate(sents):
        text = sent_text.strip()
        start = sent.start_char + (len(sent_text) - len(sent_text.lstrip()))
        row = SentenceRow(start=start, end=start + len(text), text=text)
        row.mentions = [m for m in mentions if sent.start_char <= m.start < sent.end_char]
        spans = [MentionSpan(m.start, m.end, m.name, m.type in place_types) for m in row.mentions]
        row.figures = extract_figures(sent, spans, rules, default_date=ctx.today, text=sent_text)
        row.measures = reader.read(index, sent, row.figures, row.mentions, sent_text)
        for fig in row.figures:
            at = _token_index(sent, fig.start)
            window = [
                t
                for t in doc[max(sent.start, at - CONTEXT_WINDOW) : min(sent.end, at + CONTEXT_WINDOW + 1)]
                if not (fig.start <= t.idx < fig.end) and t.is_alpha and t.lower_ not in STOPWORDS
            ]
            row.contexts.append(" ".join(dict.fromkeys(stem(t.text) for t in window))[:500])
        rows.append(row)
    # Words and plain numbers (years above all) the article uses: a query naming one the articles lack
    # cannot be answered from them.
    reconcile([m for r in rows for m in r.measures], [f for r in rows for f in r.figures], reader.vocab.names)
    plain_when_alone([m for r in rows for m in r.measures])
    terms: Counter[str] = Counter(
        {
            w.lower_
            for w in distinct_words(doc)
            if (w.is_alpha and 2 < len(w.orth_) < 40) or (w.is_digit and len(w.orth_) <= 6)
        }
    )
    return Analysis(sentences=rows, terms=terms, today=ctx.today)


@lru_cache(maxsize=4)
def _catalog_keys(rules: Rules) -> dict[str, str]:
    """Each catalog name's and alias's key -> the catalog name."""
    return {alias_key(a): e.name for e in rules.catalog for a in (e.name, *e.aliases) if alias_key(a)}


def _token_index(sent: Span, char: int) -> int:
    for token in sent:
        if token.idx >= char:
            return int(token.i)
    return int(sent.end)
