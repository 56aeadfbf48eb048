"""Discord adapter (discord.py): translation in ``translate``, the client in ``app``."""
