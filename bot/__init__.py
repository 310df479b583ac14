"""Alibaba AI-strategy news bot: a knowledge core with Slack, console and scheduler callers."""

__version__ = "0.1.0"
