"""What every command-line command needs: the settings, the pack's rules and its facing, each read once per
command."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.answering.views.wording import Facing
    from bot.rules import Rules
    from bot.settings import Settings


def settings_from_env() -> Settings:
    from bot.settings import Settings

    return Settings.from_env()


def rules_of(settings: Settings) -> Rules:
    """The rule files of the seeds folder, read once per command."""
    from bot.rules import load_rules

    return load_rules(settings.seeds_dir)


def facing_for(settings: Settings, rules: Rules) -> Facing:
    from bot.answering.facing import facing_of

    return facing_of(settings, rules.company)


def parser_facing() -> Facing | None:
    """The pack's name and command for the help of `python -m bot`; None when the pack cannot be read (the
    command run then says why)."""
    from bot.answering.facing import facing_of
    from bot.rules import load_company

    try:
        settings = settings_from_env()
        return facing_of(settings, load_company(settings.seeds_dir))
    except (SystemExit, OSError, ValueError):
        return None
