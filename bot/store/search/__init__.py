"""Sentence search: one interface, two indexes (SQLite FTS5, PostgreSQL tsvector), chosen from the database URL.

Queries are built from quoted words only: `match_expression` writes phrases in double quotes joined by AND/OR
(FTS5's syntax), and nothing a user types can become operators on either backend. Both backends read the newest
matching window through their index (FTS5 by rowid, PostgreSQL by the GIN index and the primary key), and the
window is ranked here, by BM25 with document counts from the `terms` table that ingest keeps: ranking never
scores the whole match set, so its cost does not follow the corpus, and both backends rank alike.

Finding the window is bounded too: an expression the index cannot stop early on is evaluated over the newest span
of the index, word by word, and handed to the index only when that span shows the matches come often enough.

The modules, from the bottom: `expression` (the query language: `Group`, the expressions written from it and
their tree), `lookup_cache` (one lookup's reads), `fts5` and `tsvector` (the two backends) behind `backends`,
`window` (the bounded newest-first window) and `ranking` (BM25 inside the window).
"""

from __future__ import annotations

from bot.store.search.backends import SearchBackend, backend_for
from bot.store.search.expression import (
    ExpressionError,
    Group,
    Node,
    alias_group,
    essential_alternatives,
    folded,
    group_expression,
    key_words,
    match_expression,
    parse,
    stem_line,
)
from bot.store.search.fts5 import Fts5Search
from bot.store.search.lookup_cache import lookup
from bot.store.search.ranking import bm25_scores, corpus_size, document_counts, ranked_window, term_weights
from bot.store.search.tsvector import TsvectorSearch, phrase_queries, tsquery_text
from bot.store.search.window import MAX_CANDIDATES, candidate_sentences, stem_counts

__all__ = [
    "MAX_CANDIDATES",
    "ExpressionError",
    "Fts5Search",
    "Group",
    "Node",
    "SearchBackend",
    "TsvectorSearch",
    "alias_group",
    "backend_for",
    "bm25_scores",
    "candidate_sentences",
    "corpus_size",
    "document_counts",
    "essential_alternatives",
    "folded",
    "group_expression",
    "key_words",
    "lookup",
    "match_expression",
    "parse",
    "phrase_queries",
    "ranked_window",
    "stem_counts",
    "stem_line",
    "term_weights",
    "tsquery_text",
]
