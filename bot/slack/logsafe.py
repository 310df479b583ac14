"""Log lines a request cannot forge or fill: control characters escaped, tokens and response_urls redacted."""

from __future__ import annotations

import logging
import re

MAX_MESSAGE_CHARS = 2000
REDACTED = "[redacted]"

# A Slack token anywhere (bot, user, app-level, refresh, configuration tokens).
_TOKEN = re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+")
# A response_url, plain or URL-encoded: it lets its holder post as the app for 30 minutes.
_HOOK_URL = re.compile(r"https?(?::|%3A)(?:/|%2F){2}hooks\.slack\.com[^\s\"'&,}\\]*", re.IGNORECASE)
# The value after a secret-bearing key, in a dict repr, JSON, a form body or URL-encoded JSON.
_SECRET_VALUE = re.compile(
    r"""((?:token|response_url|signing_secret)(?:["']|%22|\\")?\s*(?::|=|%3A)\s*(?:["']|%22|\\")?)"""
    r"""([^"'\s,&}%\\]+(?:%[0-9A-Fa-f]{2}[^"'\s,&}%\\]*)*)""",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` without Slack tokens or response_urls, and without the value of any `token` field."""
    text = _TOKEN.sub(REDACTED, text)
    text = _HOOK_URL.sub(REDACTED, text)
    return _SECRET_VALUE.sub(lambda m: m.group(1) + REDACTED, text)


def one_line(text: str) -> str:
    """`text` with every character that could end or rewrite a line (newlines, CR, NEL, U+2028, escapes) shown
    as an escape instead, so a value from a request can never start a log line of its own."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…({len(text) - limit:,} more chars)"


class SafeFormatter(logging.Formatter):
    """A formatter whose records are one line each: the message redacted, escaped and clipped; a traceback
    follows indented, so no line of it can look like the start of a record."""

    def format(self, record: logging.LogRecord) -> str:
        record.message = clip(one_line(redact(record.getMessage())))
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        extra = []
        if record.exc_info:
            extra.append(self.formatException(record.exc_info))
        if record.stack_info:
            extra.append(self.formatStack(record.stack_info))
        for block in extra:
            for part in block.splitlines():
                line += "\n    " + clip(one_line(redact(part)))
        return line


def install(logger: logging.Logger | None = None) -> None:
    """Give every handler of `logger` (the root logger by default) the safe formatter, keeping its format."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        current = handler.formatter
        fmt = current._fmt if current is not None else None  # keep the configured layout
        datefmt = current.datefmt if current is not None else None
        handler.setFormatter(SafeFormatter(fmt, datefmt))
