"""LabConfig: documented defaults for contested thresholds, and loud errors for nonsense."""

from __future__ import annotations

import pytest

from painwise.core.errors import DomainError
from painwise.core.labs import DEFAULT_CONFIG, LabConfig


def test_it_defaults_to_the_documented_thresholds():
    assert (DEFAULT_CONFIG.ferritin_cutoff, DEFAULT_CONFIG.tsat_cutoff) == (30.0, 20.0)
    assert (DEFAULT_CONFIG.b12_deficient_below, DEFAULT_CONFIG.b12_borderline_below) == (200.0, 300.0)
    assert (DEFAULT_CONFIG.alt_uln, DEFAULT_CONFIG.testosterone_cutoff) == ("lab", 300.0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ferritin_cutoff": 0}, "ferritin_cutoff"),
        ({"tsat_cutoff": float("nan")}, "tsat_cutoff"),
        ({"b12_deficient_below": 300, "b12_borderline_below": 200}, "b12_borderline_below"),
        ({"alt_uln": "healthy"}, "alt_uln"),
    ],
)
def test_it_refuses_a_config_that_cannot_be_meant(kwargs, field):
    with pytest.raises(DomainError) as caught:
        LabConfig(**kwargs)
    assert (caught.value.code, caught.value.field) == ("labs.invalid_config", field)
