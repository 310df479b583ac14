"""The Slack listeners, a small module each, registered on the app by `register(app, deps)` as `app.py` wires them:
events (re-delivery dedupe, mentions, direct messages, thread follow-ups), the slash command, the buttons on answers,
the submitted forms, the admins' review of figure reports, and the App Home. Each acks first, then calls the core."""
