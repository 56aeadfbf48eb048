"""Errors shared across modules, importable without loading their heavier neighbours."""


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable, never a secret."""
