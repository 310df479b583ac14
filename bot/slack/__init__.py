"""The Slack app: a thin layer that acks, calls the knowledge core, and renders answers as Block Kit."""
