"""The deployment's monitoring thresholds: defaults, PAINWISE_LAB_CONFIG and the TOML file of
PAINWISE_RULES_CONFIG (docs/rules.md#thresholds). Checked when the app starts."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from painwise.core.errors import DomainError
from painwise.core.rules import DEFAULT_RULES_CONFIG, RulesConfig
from painwise.core.rules.config import load_config_cached


def rules_config() -> RulesConfig:
    from painwise.labs.entry import lab_config

    path = getattr(settings, "PAINWISE_RULES_CONFIG", "")
    if not path:
        return replace(DEFAULT_RULES_CONFIG, labs=lab_config())
    return load_config_cached(path, getattr(settings, "PAINWISE_LAB_CONFIG", None) or {})


def check_rules_config() -> RulesConfig:
    """The configuration, or ImproperlyConfigured naming the file and the bad key."""
    try:
        return rules_config()
    except DomainError as error:
        path = getattr(settings, "PAINWISE_RULES_CONFIG", "")
        raise ImproperlyConfigured(f"PAINWISE_RULES_CONFIG ({path}): {error.field}: {error.message}") from error
