"""PAINWISE_RULES_CONFIG: a TOML file of thresholds, checked when the app starts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from painwise.monitoring.config import check_rules_config, rules_config


def test_without_a_file_the_defaults_and_painwise_lab_config_apply(settings):
    settings.PAINWISE_RULES_CONFIG = ""
    settings.PAINWISE_LAB_CONFIG = {"ferritin_cutoff": 15}
    config = rules_config()
    assert config.lab_interval_days == 180 and config.labs.ferritin_cutoff == 15


def test_the_file_overrides_rules_and_lab_thresholds_for_the_whole_app(settings, tmp_path):
    from painwise.labs.entry import lab_config

    file = tmp_path / "rules.toml"
    file.write_text("[rules]\nlab_interval_days = 90\n[labs]\nfemale_testosterone_high = 60\n")
    settings.PAINWISE_RULES_CONFIG = str(file)
    assert check_rules_config().lab_interval_days == 90
    assert lab_config().female_testosterone_high == 60  # lab interpretation uses the same file


def test_a_bad_key_stops_start_up_naming_it(settings, tmp_path):
    file = tmp_path / "rules.toml"
    file.write_text("[rules]\nhigh_daily_leaf_g = -3\n")
    settings.PAINWISE_RULES_CONFIG = str(file)
    with pytest.raises(ImproperlyConfigured, match=r"rules\.high_daily_leaf_g"):
        check_rules_config()
