"""Slack adapter (slack-bolt): translation in ``translate``, the Bolt app in ``app``."""
