"""Questions that ask for a person, a date or a statement rather than a figure:

- "who runs the e-commerce business", "who is the CEO", "who is Alibaba's chairman": the person the articles give
  that role, with the sentence and its date, newest first;
- "when did Qwen3 launch": the date the best sentence states, leading the answer;
- "what did Joe Tsai say about DeepSeek", "Joe Tsai on DeepSeek": what the person said in the sentences around the
  ones that name the topic (a quote often follows the sentence that names what it is about).
The question words are read by patterns; the words for roles and speech are data
(`questions.yml`, read into `bot.rules.QuestionWords`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.answering.figure_select import entity_names
from bot.answering.model import Answer, ArticleRef, Passage
from bot.answering.query import Lexicon, Plan, plan_query
from bot.reading.dates import MONTHS, mentioned_dates
from bot.rules import QuestionWords, Rules
from bot.store.catalog import person_called
from bot.store.models import Article, Entity, Mention, Sentence
from bot.store.search import Group, candidate_sentences, group_expression, match_expression
from bot.store.words import STOPWORDS, stems

WINDOW = 120  # sentences read per search
_MONTH_RE = "|".join(sorted((re.escape(m.capitalize()) for m in MONTHS), key=len, reverse=True))


@dataclass
class Question:
    form: str  # role, when, statement
    role: tuple[str, ...] = ()  # role words to look for
    topic: str = ""  # what the role is of, what happened, what was said about
    speaker: str = ""


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CONTRACTION = re.compile(r"\b(who|what|when|where|how)['’]s\b", re.I)


def read_question(query: str, qw: QuestionWords) -> Question | None:
    q = _CONTRACTION.sub(lambda c: f"{c.group(1)} is", query.strip().rstrip("?!. "))
    roles = _alt(qw.roles)
    m = re.match(
        rf"^(?:what|how)\s+(?:did|does|do|has|have|had|is|was|will|would)\s+(?P<x>.+?)\s+"
        rf"(?:{_alt(qw.asking_speech)})\s+(?:about|on|of|regarding|concerning)\s+(?P<y>.+)$",
        q,
        re.I,
    )
    if m:
        return Question("statement", topic=m.group("y"), speaker=m.group("x"))
    m = re.match(r"^(?P<x>[^?]+?)\s+(?:on|about)\s+(?P<y>.+)$", q, re.I)
    if m and not re.match(r"^(?:who|what|when|how|where|why|which)\b", q, re.I):
        return Question("statement", topic=m.group("y"), speaker=m.group("x"))
    m = re.match(r"^when\s+(?:did|was|were|is|will|does|do|has|had)\s+(?P<rest>.+)$", q, re.I)
    if m:
        return Question("when", topic=m.group("rest"))
    events = _alt(qw.events)
    m = re.match(
        rf"^(?:what\s+(?:is|was)\s+)?(?:the\s+)?(?P<ev>{events})\s+date\s+(?:of|for)\s+(?P<rest>.+)$", q, re.I
    ) or re.match(rf"^(?:what\s+(?:is|was)\s+)?(?P<rest>.+?)(?:'s|’s)?\s+(?P<ev>{events})\s+date$", q, re.I)
    if m:
        return Question("when", topic=f"{m.group('rest')} {m.group('ev')}")
    m = re.match(r"^who\s+(?:founded|co-founded|started|created|set\s+up|established)\s+(?P<org>.+)$", q, re.I)
    if m:
        return Question(
            "role", role=("founder", "co-founder", "founded", "co-founded", "founded by"), topic=m.group("org")
        )
    m = re.match(rf"^who\s+(?P<verb>{_alt(qw.running_verbs)})\s+(?P<org>.+)$", q, re.I)
    if m:
        wanted = qw.widen(("chairman",)) if m.group("verb").lower().startswith("chair") else qw.running_roles
        return Question("role", role=wanted, topic=m.group("org"))
    m = re.match(
        rf"^who\s+(?:is|was|are|were)\s+(?:the\s+)?(?:(?P<org>.+?)(?:'s|’s)\s+)?(?:(?:new|current|former|"
        rf"technical|top|senior|chief|acting|interim|founding)\s+)?(?P<role>{roles})"
        rf"(?:\s+(?:of|at|for)\s+(?P<org2>.+))?$",
        q,
        re.I,
    )
    if m:
        return Question("role", role=qw.widen((m.group("role"),)), topic=m.group("org") or m.group("org2") or "")
    m = re.match(rf"^(?P<org>.+?)(?:'s|’s)?\s+(?P<role>{roles})$", q, re.I)
    if m and len(m.group("org").split()) <= 4:
        return Question("role", role=qw.widen((m.group("role"),)), topic=m.group("org"))
    return None


def _rows(session: Session, ids: list[int]) -> list[tuple[int, str, int, int, ArticleRef]]:
    if not ids:
        return []
    rows = session.execute(
        select(
            Sentence.id,
            Sentence.text,
            Sentence.article_id,
            Sentence.position,
            Article.title,
            Article.published,
            Article.source,
            Article.url,
            Article.mentions_until,
        )
        .join(Article, Article.id == Sentence.article_id)
        .where(Sentence.id.in_(ids))
    ).all()
    return [
        (sid, text, aid, pos, ArticleRef(aid, title, published, source, url, published or until))
        for sid, text, aid, pos, title, published, source, url, until in rows
    ]


def _topic_groups(topic: str, rules: Rules, lexicon: Lexicon, qw: QuestionWords) -> tuple[Plan, list[Group]]:
    plan = plan_query(topic, rules, lexicon)
    groups = [g for g in plan.groups if g.label.lower() not in qw.organisation_nouns]
    return plan, groups


def _when(d: date | None) -> int:
    return d.toordinal() if d else 0


# -- who ------------------------------------------------------------------------------------------------------------
def answer_role(
    session: Session,
    question: Question,
    answer: Answer,
    rules: Rules,
    lexicon: Lexicon,
    qw: QuestionWords,
    entity_card: Callable[[int, Answer], Answer],
) -> Answer | None:
    """The person the articles give the role: role words near a person's name, in sentences about the topic."""
    plan, groups = _topic_groups(question.topic, rules, lexicon, qw)
    role_group = Group("role", tuple(question.role))
    org = entity_names(session, plan.entity_id) if plan.entity_id is not None else None
    searches = [[role_group, *([org] if org else []), *groups], [role_group, *groups]]
    if groups:
        searches.append([role_group, groups[0]])
    searches.append([role_group])
    ids: list[int] = []
    for search in searches:
        expression = match_expression(search, "AND")
        if expression:
            ids += [i for i in candidate_sentences(session, expression, limit=WINDOW) if i not in ids]
        if len(ids) >= 10:
            break
    people = (
        session.execute(
            select(Mention.sentence_id, Mention.start, Mention.end, Mention.entity_id, Entity.name, Sentence.start)
            .join(Entity, Entity.id == Mention.entity_id)
            .join(Sentence, Sentence.id == Mention.sentence_id)
            .where(Mention.sentence_id.in_(ids), Entity.type == "person")
        ).all()
        if ids
        else []
    )
    texts = {sid: (text, ref) for sid, text, _aid, _pos, ref in _rows(session, list({p[0] for p in people}))}
    role_re = re.compile(rf"\b(?:{_alt(question.role)})\b", re.I)
    best: tuple[float, int, str, int, str] | None = None
    for sid, m_start, m_end, person_id, _name, s_start in people:
        text, ref = texts[sid]
        a, b = m_start - s_start, m_end - s_start
        near = [r for r in role_re.finditer(text) if -90 <= r.start() - b <= 90 or -90 <= a - r.end() <= 90]
        if not near:
            continue
        sentence_stems = set(stems(text))
        covered = sum(g.coverage(sentence_stems) for g in groups) / len(groups) if groups else 1.0
        if org is not None and org.matched_by(sentence_stems):
            covered += 0.5
        for role in near:
            distance = min(abs(role.start() - b), abs(a - role.end()))
            # "CEO of Alibaba's e-commerce division": the role's own words name the topic
            phrase = _role_phrase(text, role)
            of_topic = sum(g.matched_by(set(stems(phrase))) for g in groups) / len(groups) if groups else 0.0
            score = (
                3.0 * covered
                + 2.0 * of_topic
                - distance / 60.0
                - _rank(role.group(0), question.role)
                + _when(ref.sort_date) / 1e6
            )
            if best is None or score > best[0]:
                best = (score, person_id, text, sid, phrase)
    if best is None or (groups and best[0] < 1.0):
        return None
    _, person_id, text, sid, phrase = best
    ref = texts[sid][1]
    answer = entity_card(person_id, answer)
    if answer.entity is not None:
        answer.lead = f"{answer.entity.name}: {phrase} (according to {ref.label})"
        answer.entity.descriptions.insert(0, Passage(text, ref, 10.0))
        answer.entity.descriptions = list({p.sentence: p for p in answer.entity.descriptions}.values())[:3]
    return answer


def _role_phrase(text: str, role: re.Match[str]) -> str:
    """The role as the article words it: "CEO of Alibaba's e-commerce division", "Chairman"."""
    rest = text[role.end() :]
    m = re.match(r"\s+(?:of|at|for|the)\s+[^,.;:()“”\"]{2,60}", rest)
    phrase = role.group(0) + (m.group(0).rstrip() if m else "")
    return phrase[:1].upper() + phrase[1:]


def _rank(found: str, roles: tuple[str, ...]) -> float:
    """Earlier roles in the list answer "who runs" first (a CEO before a chairman)."""
    lowered = [r.lower() for r in roles]
    index = lowered.index(found.lower()) if found.lower() in lowered else len(roles)
    return 0.05 * index


# -- when -----------------------------------------------------------------------------------------------------------
_DAY = re.compile(
    rf"\b(?:on\s+|in\s+|since\s+|by\s+)?(?P<month>{_MONTH_RE})\.?(?:\s+(?P<day>\d{{1,2}}))?"
    r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b"
)


# A year a sentence states as a time: "in 2023", "by 2030", "at the end of 2024", "early 2025", "mid-2024".
_YEAR_STATED = re.compile(
    r"\b(?:(?:in|since|by)\s+|(?:at|by|in|until|from)?\s*(?P<part>the\s+(?:end|start|beginning|"
    r"middle)\s+of|early|late|mid-?)\s*)(?P<year>(?:19|20)\d{2})\b",
    re.I,
)


def _stated_date(text: str, ref: ArticleRef) -> tuple[str, date] | None:
    """The date a sentence states, as written and as a date (the year from the article when it is left out)."""
    year = ref.sort_date.year if ref.sort_date else None
    m = _DAY.search(text)
    if m:
        found = mentioned_dates(m.group(0), year)
        if found:
            written = m.group(0).strip()
            written = re.sub(r"^(?:on|in|since|by)\s+", "", written, flags=re.I)
            d = found[0][1]
            if not m.group("year") and year:
                written += f", {d.year}" if m.group("day") else f" {d.year}"
            return written, d
    m = _YEAR_STATED.search(text)
    if m:
        y, part = int(m.group("year")), (m.group("part") or "").lower()
        written = f"{m.group('part')} {y}".replace("mid- ", "mid-") if part else str(y)
        when = (
            date(y, 12, 31)
            if part.startswith(("the end", "late"))
            else date(y, 7, 1)
            if part.startswith(("mid", "the middle"))
            else date(y, 1, 1)
        )
        return written, when
    return None


def answer_when(
    session: Session,
    question: Question,
    answer: Answer,
    rules: Rules,
    lexicon: Lexicon,
    find_passages: Callable[[Plan], list[Passage]],
    events: tuple[str, ...] = (),
) -> Answer | None:
    """The date the best sentence about the event states, leading the answer."""
    plan = plan_query(question.topic, rules, lexicon)
    if not plan.groups and plan.entity_id is None:
        return None
    found = find_passages(plan) if plan.groups else []
    names = entity_names(session, plan.entity_id) if plan.entity_id is not None else None
    if names is not None:
        expression = group_expression(names) or ""
        ids = candidate_sentences(session, expression, limit=WINDOW) if expression else []
        known = {p.sentence for p in found}
        found += [Passage(text, ref, 0.0) for _sid, text, _a, _p, ref in _rows(session, ids) if text not in known]
    event = re.compile(rf"\b(?:{_alt(events)})\b", re.I)

    def fit(p: Passage) -> float:
        sentence_stems = set(stems(p.sentence))
        covered = sum(g.coverage(sentence_stems) for g in plan.groups) / len(plan.groups) if plan.groups else 0.0
        named = 2.0 if names is not None and names.matched_by(sentence_stems) else 0.0
        return named + 2.0 * covered + (1.0 if event.search(p.sentence) else 0.0) + 0.1 * p.score

    dated = [(p, d) for p in found if (d := _stated_date(p.sentence, p.article))]
    if not dated:
        return None
    passage, (written, _d) = max(dated, key=lambda pd: fit(pd[0]))
    answer.kind = "passages"
    answer.lead = f"{written}, according to {passage.article.label}:"
    answer.passages = [passage, *[p for p in found if p is not passage][:3]]
    return answer


# -- what did X say about Y -----------------------------------------------------------------------------------------
def answer_statement(
    session: Session, question: Question, answer: Answer, rules: Rules, lexicon: Lexicon, qw: QuestionWords
) -> Answer | None:
    """What the speaker said about the topic: sentences naming the speaker whose neighbourhood (the sentence
    before and after) names the topic; the speaker's own sentence and a following quote are shown."""
    speaker = plan_query(question.speaker, rules, lexicon)
    if speaker.entity_id is None:  # "what did Frost say": a person named by one part of their name
        speaker.entity_id = person_called(session, question.speaker)
        speaker.groups = [] if speaker.entity_id is not None else speaker.groups
    if (
        speaker.entity_id is None
        or speaker.groups
        or session.scalar(select(Entity.type).where(Entity.id == speaker.entity_id)) != "person"
    ):
        return None
    topic = plan_query(question.topic, rules, lexicon)
    topic_groups = [g for g in topic.groups if g.label.lower() not in STOPWORDS]
    topic_names = entity_names(session, topic.entity_id) if topic.entity_id is not None else None
    if topic_names is not None:
        topic_groups = [topic_names, *topic_groups]
    if not topic_groups:
        return None
    said = session.execute(
        select(Sentence.id, Sentence.article_id, Sentence.position)
        .join(Mention, Mention.sentence_id == Sentence.id)
        .where(Mention.entity_id == speaker.entity_id)
        .order_by(Sentence.id.desc())
        .limit(300)
    ).all()
    if not said:
        return None
    around = or_(
        *[and_(Sentence.article_id == aid, Sentence.position.between(pos - 1, pos + 1)) for _sid, aid, pos in said]
    )
    rows = session.execute(select(Sentence.id, Sentence.article_id, Sentence.position, Sentence.text).where(around))
    by_place = {(aid, pos): (sid, text) for sid, aid, pos, text in rows}
    speech = re.compile(rf"\b(?:{_alt(qw.speech)})\b|[“\"]", re.I)
    scored: list[tuple[float, list[int]]] = []
    for sid, aid, pos in said:
        window = [by_place.get((aid, pos + k)) for k in (-1, 0, 1)]
        texts = [w[1] for w in window if w]
        window_stems = set(stems(" ".join(texts)))
        covered = sum(g.matched_by(window_stems) for g in topic_groups) / len(topic_groups)
        if covered == 0:
            continue
        own = by_place[(aid, pos)][1]
        score = 3.0 * covered + (1.0 if speech.search(own) else 0.0)
        shown = [sid]
        after = by_place.get((aid, pos + 1))
        if after and speech.search(after[1]) and re.search(r"\b(?:he|she|they)\b|[“\"]", after[1], re.I):
            shown.append(after[0])
            score += 1.0
        if covered and not any(g.matched_by(set(stems(own))) for g in topic_groups):
            before = by_place.get((aid, pos - 1))
            if before:
                shown.insert(0, before[0])
        scored.append((score, shown))
    if not scored:
        return None
    scored.sort(key=lambda s: -s[0])
    keep: list[int] = []
    for _score, shown in scored[:3]:
        keep += [i for i in shown if i not in keep]
    rows_by_id = {sid: (text, ref) for sid, text, _a, _p, ref in _rows(session, keep)}
    answer.kind = "passages"
    name = session.scalar(select(Entity.name).where(Entity.id == speaker.entity_id)) or question.speaker
    answer.lead = f"What {name} said about {question.topic}, in the articles:"
    answer.passages = [Passage(rows_by_id[i][0], rows_by_id[i][1], 1.0) for i in keep if i in rows_by_id][:5]
    return answer


def answer_question(
    session: Session,
    question: Question,
    answer: Answer,
    rules: Rules,
    lexicon: Lexicon,
    qw: QuestionWords,
    entity_card: Callable[[int, Answer], Answer],
    find_passages: Callable[[Plan], list[Passage]],
) -> Answer | None:
    """A who/when/said question, answered as such; None when the articles do not answer it that way."""
    if question.form == "role":
        return answer_role(session, question, answer, rules, lexicon, qw, entity_card)
    if question.form == "when":
        return answer_when(session, question, answer, rules, lexicon, find_passages, qw.events)
    return answer_statement(session, question, answer, rules, lexicon, qw)


# "how much revenue did X make", "how many users does X have", "what did X spend on chips": X is whose figure is
# asked for.
_WHOSE = re.compile(
    r"^\s*(?:how\s+(?:much|many|big|fast)|what)\b(?:\s+[\w-]+){0,5}?\s+(?:did|does|do|has|have|had|"
    r"will|is|was)\s+(?P<who>[\w.&'’-]+(?:\s+[\w.&'’-]+){0,3}?)\s+(?:make|earn|spend|report|post|"
    r"generate|have|book|record|invest|pay|raise|lose|gain|sell|ship|employ|deploy|bring|take|"
    r"grow|hold|own|get|reach|count|plan|budget|made|spent|paid|lost|sold|took|grew|held|got|brought)(?:s|ed|d)?\b",
    re.I,
)
_NOT_A_NAME = frozenset(
    {
        "it",
        "they",
        "we",
        "you",
        "he",
        "she",
        "i",
        "this",
        "that",
        "there",
        "people",
        "the",
        "its",
        "their",
        "company",
        "group",
        "firm",
        "business",
        "unit",
        "app",
        "model",
    }
)


def asked_whose(query: str) -> str | None:
    """The name a figure question asks about by its verb's subject ("how much revenue did Kestrel make" ->
    "Kestrel"), or None when the subject is no name ("the company", "it")."""
    m = _WHOSE.search(query)
    if m is None:
        return None
    who = m.group("who").strip()
    words = [w.lower() for w in re.findall(r"[\w&-]+", who)]
    if not words or all(w in _NOT_A_NAME or w in STOPWORDS for w in words):
        return None
    return who
