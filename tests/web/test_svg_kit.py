"""The chart kit (painwise.web.svg) every chart is drawn with: scales, ticks, accessible titles, bands."""

import numpy as np
import pytest

from painwise.web import svg


def test_a_scale_maps_the_domain_onto_the_range_and_can_clip():
    y = svg.Scale((0, 10), (170, 12))
    assert (y(0), y(10), y(5)) == (170, 12, 91)
    assert list(y(np.array([0.0, 10.0]))) == [170.0, 12.0]  # vectorised for long series
    clipped = svg.Scale((2, 4), (100, 0), clip=True)
    assert (clipped(1), clipped(5), clipped(3)) == (100, 0, 50)
    assert svg.Scale((7, 7), (10, 20))(7) == 10  # a one-value domain does not divide by zero


@pytest.mark.parametrize(("span", "step"), [(10, 2), (7, 2), (123, 25), (0.9, 0.2), (4500, 1000)])
def test_it_picks_round_tick_steps(span, step):
    assert svg.nice_step(span) == pytest.approx(step)


def test_the_chart_opens_with_an_accessible_name_and_description_escaped():
    head = svg.chart_open(width=100, height=50, css_class="chart", chart_id="c", title="A <b>", desc='"x" & y')
    assert 'role="img" aria-labelledby="c-title c-desc"' in head
    assert '<title id="c-title">A &lt;b&gt;</title><desc id="c-desc">&quot;x&quot; &amp; y</desc>' in head
    assert 'aria-labelledby="c-title"' in svg.chart_open(width=1, height=1, css_class="q", chart_id="c", title="t")


def test_bands_labels_and_lines_use_presentation_attributes_only():
    parts = (
        svg.band("1", "2", "3", "4", fill="#eee", title="mild: 0–4")
        + svg.label(5, 6, "<5>", anchor="end", attrs=' class="chart-label"')
        + svg.hline(0, 10, "3.5")
    )
    assert "style=" not in parts
    assert '<rect x="1" y="2" width="3" height="4" fill="#eee"><title>mild: 0–4</title></rect>' in parts
    assert '<text x="5" y="6" text-anchor="end" class="chart-label">&lt;5&gt;</text>' in parts
    assert '<line x1="0" x2="10" y1="3.5" y2="3.5" stroke="#d8dee4" stroke-width="1"/>' in parts


def test_numbers_are_short():
    assert (svg.fmt(12), svg.fmt_short(12.0), svg.fmt_short(3.54)) == ("12.0", "12", "3.5")
