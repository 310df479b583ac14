"""The Slack manifest asks for the scopes the code uses and no others, subscribes to the events it listens to,
and the README's "Connect to Slack" says the same."""

from __future__ import annotations

import re

import yaml

from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"
# The scope each Web API method the bot calls needs (methods needing none map to an empty set).
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "files_info": {"files:read"},
    "users_info": {"users:read"},
    "reactions_add": {"reactions:write"},
    "reactions_remove": {"reactions:write"},
    "views_open": set(),
    "views_publish": set(),
}
# The scopes and manifest events each Bolt event listener needs.
EVENTS = {
    "app_mention": ({"app_mentions:read"}, {"app_mention"}),
    "message": ({"im:history", "channels:history", "groups:history"},
                {"message.im", "message.channels", "message.groups"}),
    "app_home_opened": (set(), {"app_home_opened"}),
}
# Asked for without a method of its own: posting digests to public channels the bot has not joined.
EXTRA = {"chat:write.public"}


def manifest() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((PROJECT_ROOT / "slack" / "manifest.yml").read_text())  # type: ignore[no-any-return]


def used_methods() -> set[str]:
    source = "\n".join(p.read_text() for p in BOT.rglob("*.py"))
    called = set(re.findall(r"\bclient\.([a-z]+_[A-Za-z]+)\(", source))
    called |= set(re.findall(r'"([a-z]+_(?:add|remove))"', source)) & set(METHOD_SCOPES)  # getattr(client, …)
    return called


def used_events() -> set[str]:
    handlers = "\n".join(p.read_text() for p in (BOT / "slack").rglob("*.py"))
    return set(re.findall(r'app\.event\("([a-z_]+)"\)', handlers))


def test_every_method_the_bot_calls_has_a_known_scope() -> None:
    assert used_methods() - set(METHOD_SCOPES) == set(), "map the new Web API method to its scope above"
    assert {"chat_postMessage", "views_publish", "reactions_add"} <= used_methods()


def test_the_manifest_asks_for_exactly_the_scopes_used() -> None:
    needed = {"commands"} | EXTRA
    needed |= {s for m in used_methods() for s in METHOD_SCOPES[m]}
    needed |= {s for e in used_events() for s in EVENTS[e][0]}
    assert set(manifest()["oauth_config"]["scopes"]["bot"]) == needed


def test_the_manifest_subscribes_to_the_events_listened_to() -> None:
    m = manifest()
    wanted = {s for e in used_events() for s in EVENTS[e][1]}
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == wanted
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert m["features"]["slash_commands"][0]["should_escape"] is True  # the decoder reads <@U…|name> and <#C…|…>


def test_the_readme_names_the_manifest_scopes_and_events() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme[readme.index("## Connect to Slack"):readme.index("### Digests")]
    step = " ".join(section[section.index("1. "):section.index("2. ")].split())
    m = manifest()
    scopes, events = step.split("the bot scopes (", 1)[1].split("the events (", 1)
    assert set(re.findall(r"`([a-z_.:]+)`", scopes)) == set(m["oauth_config"]["scopes"]["bot"])
    assert set(re.findall(r"`([a-z_.]+)`", events.split(")")[0])) == set(m["settings"]["event_subscriptions"]
                                                                         ["bot_events"])
