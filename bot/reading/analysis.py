"""From a parsed article to rows: sentences, entity mentions and figures, with no database involved."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span

from bot.reading.entities import FoundMention, find_mentions
from bot.reading.figures import FoundFigure, MentionSpan, extract_figures
from bot.reading.rules import Rules
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


@dataclass
class Analysis:
    sentences: list[SentenceRow]
    terms: Counter[str]

    @property
    def mention_count(self) -> int:
        return sum(len(s.mentions) for s in self.sentences)

    @property
    def figure_count(self) -> int:
        return sum(len(s.figures) for s in self.sentences)


def analyse(doc: Doc, rules: Rules, default_date: date | None) -> Analysis:
    mentions = find_mentions(doc, rules)
    place_types = {"place"}
    rows: list[SentenceRow] = []
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        row = SentenceRow(start=start, end=start + len(text), text=text)
        row.mentions = [m for m in mentions if sent.start_char <= m.start < sent.end_char]
        spans = [MentionSpan(m.start, m.end, m.name, m.type in place_types) for m in row.mentions]
        row.figures = extract_figures(sent, spans, rules, default_date=default_date)
        for fig in row.figures:
            window = [
                t for t in sent
                if abs(t.i - _token_index(sent, fig.start)) <= CONTEXT_WINDOW
                and not (fig.start <= t.idx < fig.end)
                and t.is_alpha and t.lower_ not in STOPWORDS
            ]
            row.contexts.append(" ".join(dict.fromkeys(stem(t.text) for t in window))[:500])
        rows.append(row)
    # Words and plain numbers (years above all) the article uses: a query naming one the articles lack
    # cannot be answered from them.
    terms: Counter[str] = Counter({w.lower_ for w in doc if (w.is_alpha and 2 < len(w) < 40) or
                                   (w.is_digit and len(w) <= 6)})
    return Analysis(sentences=rows, terms=terms)


def _token_index(sent: Span, char: int) -> int:
    for token in sent:
        if token.idx >= char:
            return int(token.i)
    return int(sent.end)
