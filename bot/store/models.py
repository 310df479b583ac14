"""The database schema as SQLAlchemy 2.x typed models; Alembic migrations create and upgrade it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.store.packed import PackedText

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    published: Mapped[date | None] = mapped_column(Date)
    # Latest date the text itself mentions; orders undated articles, never shown as a publication date.
    mentions_until: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(1000))
    filename: Mapped[str | None] = mapped_column(String(500))
    # The text itself is kept once, in `sentences` (with each sentence's offsets in the article), not here too.
    text_hash: Mapped[str] = mapped_column(String(64), unique=True)
    added_by: Mapped[str | None] = mapped_column(String(100))
    # The Slack user's name at upload time: digests show who added an article without mentioning (notifying) them.
    added_by_name: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(DateTime, index=True)

    sentences: Mapped[list[Sentence]] = relationship(back_populates="article", cascade="all, delete-orphan")


class Sentence(Base):
    __tablename__ = "sentences"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # Packed on SQLite (bot/store/packed.py): read and written as text through the column's type.
    text: Mapped[str] = mapped_column(PackedText)

    article: Mapped[Article] = relationship(back_populates="sentences")


class Entity(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    from_catalog: Mapped[bool] = mapped_column(default=False)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime)

    aliases: Mapped[list[EntityAlias]] = relationship(back_populates="entity", cascade="all, delete-orphan")


class EntityAlias(Base):
    __tablename__ = "entity_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    # Lower-cased, punctuation-folded form that lookups compare against.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # The article that stated this name ("known in English as ...", a name in another order); None for the
    # catalog's names and the name an entity was first found under. The catalog overrides a learned name.
    learned_from: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class Mention(Base):
    __tablename__ = "mentions"
    # Entity cards count and read an entity's newest mentions from this index alone.
    __table_args__ = (Index("ix_mentions_entity_article_sentence", "entity_id", "article_id", "sentence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    sentence_id: Mapped[int] = mapped_column(ForeignKey("sentences.id", ondelete="CASCADE"), index=True)
    # Not indexed alone: an article's mentions are reached through its sentences.
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # The name as written is the sentence's text between these offsets (article offsets, like the sentence's).
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Figure(Base):
    """One figure record: the amount as written, whose it is (`entity_id`, the subject), what it measures
    (`metric`), the period or as-of date it holds for, its status, and the date it is placed at in time."""

    __tablename__ = "figures"
    # The upload reply and the digest look up figures of one subject and metric: one index serves both.
    __table_args__ = (Index("ix_figures_subject_metric", "entity_id", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    sentence_id: Mapped[int] = mapped_column(ForeignKey("sentences.id", ondelete="CASCADE"), index=True)
    # Looked up through ix_figures_subject_metric, whose first column it is.
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    # A figure given in brackets after another ("380 billion yuan ($53 billion)") converts that one.
    conversion_of_id: Mapped[int | None] = mapped_column(ForeignKey("figures.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # money, percent, count
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(String(200))
    qualifier: Mapped[str | None] = mapped_column(String(40))
    period: Mapped[str | None] = mapped_column(String(120))
    as_of: Mapped[date | None] = mapped_column(Date)
    # Stemmed content words around the figure: what it is about ("revenu cloud quarter").
    context: Mapped[str] = mapped_column(String(500), default="")
    start: Mapped[int] = mapped_column(Integer)  # character span in the article text
    end: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(12), default="actual")  # actual, plan, forecast, estimate, converted
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    period_kind: Mapped[str | None] = mapped_column(String(12))  # quarter, year, ytd, horizon, window, range
    # True when the period counts from the article's date rather than a date the text states ("over the next
    # three years" in an article that does not say when the plan was announced): another record may fix it.
    period_weak: Mapped[bool] = mapped_column(Boolean, default=False)
    placed_on: Mapped[date | None] = mapped_column(Date)  # where the figure stands in time
    placed_by: Mapped[str | None] = mapped_column(String(12))  # period, as_of, published, estimated


class Term(Base):
    """Every word the articles use, for typo correction of queries."""

    __tablename__ = "terms"

    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    df: Mapped[int] = mapped_column(Integer, default=0)


class ProcessedEvent(Base):
    """Slack event ids already handled, so re-deliveries are ignored even after a restart."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)


class SeenSignature(Base):
    """Signatures of Slack requests already answered, until their timestamp leaves Slack's 5-minute window; a
    request whose signature is here is a replay. In the database so every replica on it refuses the replay."""

    __tablename__ = "seen_signatures"

    signature: Mapped[str] = mapped_column(String(80), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class DigestSubscription(Base):
    __tablename__ = "digest_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(40), unique=True)
    schedule: Mapped[str] = mapped_column(String(100))  # cron expression
    timezone: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DigestRun(Base):
    """One digest for one channel and period: claimed before posting, marked posted after."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("channel", "period_end", name="uq_digest_runs_channel_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[datetime] = mapped_column(DateTime)
    period_end: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20))  # claimed, posted, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime] = mapped_column(DateTime)
    posted_at: Mapped[datetime | None] = mapped_column(DateTime)
    message_ts: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(Text)
    # The articles it covers, by id: after the previous posted digest's last one, up to the last one stored when
    # it was claimed (ids only grow, so an article added in the second between two digests is in exactly one).
    after_article_id: Mapped[int | None] = mapped_column(Integer)
    through_article_id: Mapped[int | None] = mapped_column(Integer)


class PendingUpload(Base):
    """An upload held for review (REVIEW_UPLOADS): the file and what it was given, not yet an article, so no
    answer or digest reads it. Publish runs the normal ingest on it; Discard deletes it."""

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    title: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(1000))
    added_by: Mapped[str | None] = mapped_column(String(100))
    added_by_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AnswerRecord(Base):
    """An answer as a person saw it, keyed in its buttons: Share posts it as is, feedback names its query, and a
    thread the bot answered in is followed without a mention."""

    __tablename__ = "answer_records"
    __table_args__ = (Index("ix_answer_records_channel_thread", "channel", "thread_ts"),)

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    asked_by: Mapped[str | None] = mapped_column(String(40))
    query: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)  # the fallback text as posted
    blocks: Mapped[str] = mapped_column(Text)  # JSON: the answer's blocks without buttons
    figures: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{id, text, hash, start}] as shown
    channel: Mapped[str | None] = mapped_column(String(40))
    thread_ts: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class Feedback(Base):
    """A 👍 or 👎 on an answer; a 👎 may name a reason, a figure and a note, and stays open until an admin acts."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_key: Mapped[str | None] = mapped_column(String(32))
    user: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    rating: Mapped[str] = mapped_column(String(10))  # up, down
    reason: Mapped[str | None] = mapped_column(String(40))  # wrong_figure, wrong_subject, not_asked, other
    note: Mapped[str | None] = mapped_column(Text)
    query: Mapped[str] = mapped_column(String(400), default="")
    # The figure as it was shown; content hash + offset survive re-ingest, where figure ids do not.
    article_hash: Mapped[str | None] = mapped_column(String(64))
    figure_start: Mapped[int | None] = mapped_column(Integer)
    figure_text: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str | None] = mapped_column(String(20), index=True)  # open, resolved, dismissed
    resolved_by: Mapped[str | None] = mapped_column(String(40))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)


class FigureCorrection(Base):
    """An admin's correction of one extracted figure, beside (not inside) the extracted record: keyed by the
    article's content hash and the figure's offset, so re-ingesting the article keeps it."""

    __tablename__ = "figure_corrections"
    __table_args__ = (UniqueConstraint("article_hash", "figure_start", name="uq_figure_corrections_figure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_hash: Mapped[str] = mapped_column(String(64))
    figure_start: Mapped[int] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(default=False)
    overrides: Mapped[str] = mapped_column(Text, default="{}")  # JSON: field -> corrected value
    corrected_by: Mapped[str | None] = mapped_column(String(40))
    corrected_at: Mapped[datetime] = mapped_column(DateTime)


class Feed(Base):
    """A news feed the bot polls: where it is, what it lets through, how its last polls went, and when it is due.
    `claimed_by` and `claimed_at` hold the poll in progress, so that of several replicas one polls it."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000))
    url_key: Mapped[str] = mapped_column(String(1000), unique=True)  # the normalised URL (bot/feeds/urls.py)
    name: Mapped[str | None] = mapped_column(String(200))
    include_words: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: an item must name one of them
    exclude_words: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: an item naming one is skipped
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime)
    errors_in_row: Mapped[int] = mapped_column(Integer, default=0)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    items_indexed: Mapped[int] = mapped_column(Integer, default=0)
    items_skipped: Mapped[int] = mapped_column(Integer, default=0)
    next_poll_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    added_by: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(DateTime)


class FeedItem(Base):
    """An item of a feed already read, keyed by its GUID (else its normalised link): a restart or the next poll
    passes it by. Deleting the feed deletes these, never the articles."""

    __tablename__ = "feed_items"
    __table_args__ = (UniqueConstraint("feed_id", "item_key", name="uq_feed_items_feed_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(1000))
    link: Mapped[str | None] = mapped_column(String(1000))
    title: Mapped[str | None] = mapped_column(String(500))
    outcome: Mapped[str] = mapped_column(String(20))  # indexed, duplicate, near-duplicate, off-topic, refused, failed
    reason: Mapped[str | None] = mapped_column(String(500))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    seen_at: Mapped[datetime] = mapped_column(DateTime)


class ArticleUrl(Base):
    """A normalised URL under which a story was read (its own, a copy's, a feed link before redirects): the same
    URL is never fetched into a second article."""

    __tablename__ = "article_urls"

    url_key: Mapped[str] = mapped_column(String(1000), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class StoryBand(Base):
    """One LSH band of an article's MinHash signature (bot/reading/similar.py): a near-duplicate lookup reads only
    the articles sharing a band with the new text, through the index on `band_key`."""

    __tablename__ = "story_bands"
    # The key is the table (no rowid): half the size of a rowid table with its index.
    __table_args__ = ({"sqlite_with_rowid": False},)

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


class ArticleOutlet(Base):
    """Another outlet that carried a story: a near-duplicate copy kept as a link to the article first indexed,
    not as a second article. A story's outlets are its article's own source and these."""

    __tablename__ = "article_outlets"
    __table_args__ = (UniqueConstraint("article_id", "url_key", name="uq_article_outlets_article_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    source: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(1000))
    url_key: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str | None] = mapped_column(String(500))
    similarity: Mapped[float] = mapped_column(Float)
    added_at: Mapped[datetime] = mapped_column(DateTime)


class WatchedChannel(Base):
    """A Slack channel whose posted links the bot reads into the index (an admin's `watch links` there)."""

    __tablename__ = "watched_channels"

    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    added_by: Mapped[str | None] = mapped_column(String(40))
    added_at: Mapped[datetime] = mapped_column(DateTime)
