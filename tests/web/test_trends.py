"""painwise.core.trends: daily series, gaps and the 7-day rolling mean, without a database."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import numpy as np
import pytest

from painwise.core import trends

D0 = dt.date(2026, 3, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def test_it_aggregates_events_to_the_patients_local_day():
    # 23:30 UTC on 1 March is already 2 March in Auckland.
    events = [
        (dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), 4),
        (dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC), 8),
        (dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC), 2),
    ]
    london = trends.daily_pain_from_events(events, "Europe/London")
    auckland = trends.daily_pain_from_events(events, "Pacific/Auckland")
    assert [(d.day, d.mean, d.max) for d in london] == [(day(0), 3.0, 4), (day(1), 8.0, 8)]
    assert [(d.day, d.mean, d.max, d.count) for d in auckland] == [(day(0), 2.0, 2, 1), (day(1), 6.0, 8, 2)]


def test_it_keeps_gaps_as_gaps_not_zero():
    pain = [trends.DailyPain(day(0), 5.0, 6, 2), trends.DailyPain(day(3), 3.0, 3, 1)]
    series = trends.build_series(pain, {day(1): 2}, {}, day(0), day(4))
    assert [d.mean for d in series.days] == [5.0, None, None, 3.0, None]
    assert [d.max for d in series.days] == [6, None, None, 3, None]
    assert [d.doses for d in series.days] == [0, 2, 0, 0, 0]
    assert series.days_with_pain == 2 and not series.is_empty


def test_it_needs_three_days_in_a_week_for_a_rolling_mean():
    values = [4.0, None, 6.0, None, None, 8.0, None, None, None, None, None]
    rolling = trends.rolling_mean(values)
    assert rolling[:5] == [None, None, None, None, None]
    assert rolling[5] == 6.0  # days 0, 2, 5
    assert rolling[7] is None  # day 0 has left the window: only days 2 and 5 remain
    assert rolling[10] is None


def test_it_rolls_over_exactly_seven_calendar_days():
    rolling = trends.rolling_mean([float(i) for i in range(10)])
    assert rolling[6] == 3.0  # mean of 0..6
    assert rolling[9] == 6.0  # mean of 3..9


def test_it_feeds_lead_in_days_into_the_first_rolling_values():
    pain = [trends.DailyPain(day(i), 2.0, 2, 1) for i in range(-6, 1)]
    series = trends.build_series(pain, {}, {}, day(0), day(0))
    assert len(series.days) == 1
    assert series.days[0].rolling == 2.0


def test_it_picks_window_starts_and_all_from_the_first_day():
    today = day(100)
    assert trends.window_start("30", today, None) == day(71)
    assert trends.window_start("all", today, day(3)) == day(3)
    assert trends.window_start("all", today, None) == today
    assert trends.window_start("bogus", today, None) == today - dt.timedelta(days=89)


def test_it_refuses_an_end_before_the_start():
    with pytest.raises(ValueError, match="before start"):
        trends.build_series([], {}, {}, day(5), day(1))


def test_it_summarises_to_a_plain_dict():
    series = trends.build_series([trends.DailyPain(day(0), 4.5, 6, 2)], {}, {day(0): 1}, day(0), day(0))
    assert series.to_dict()["days"] == [
        {"day": "2026-03-01", "mean": 4.5, "max": 6, "rolling": None, "doses": 0, "sessions": 1}
    ]
    assert series.mean_of_means() == 4.5


def loop_rolling_mean(values, days=trends.ROLLING_DAYS, min_days=trends.ROLLING_MIN_DAYS):
    """The running-total loop the vectorised rolling_mean must match to the last bit."""
    out, total, count = [], 0.0, 0
    for i, value in enumerate(values):
        if value is not None:
            total += value
            count += 1
        if i >= days and values[i - days] is not None:
            total -= values[i - days]
            count -= 1
        out.append(round(total / count, 2) if count >= min_days else None)
    return out


def test_the_vectorised_rolling_mean_matches_the_running_total_exactly():
    rng = random.Random(3)
    for _ in range(200):
        values = [
            None if rng.random() < 0.3 else round(rng.choice([rng.uniform(0, 10), rng.randint(0, 40) / 4]), 2)
            for _ in range(rng.randrange(0, 120))
        ]
        assert trends.rolling_mean(values) == loop_rolling_mean(values)


def test_round2_is_pythons_round_including_near_halves():
    values = [i / 1000 for i in range(10_001)] + [i / 8 for i in range(81)] + [2.675, 1.005, 4.125, 0.125]
    assert trends.round2(np.array(values)).tolist() == [round(v, 2) for v in values]


def test_series_from_rows_agrees_with_daily_aggregates_and_build_series():
    rng = random.Random(5)
    start, end = day(0), day(60)
    pain = [(day(rng.randrange(-10, 65)), rng.randint(0, 10)) for _ in range(300)]
    doses = [day(rng.randrange(-10, 65)) for _ in range(200)]
    sessions = [day(rng.randrange(0, 61)) for _ in range(20)]
    buckets: dict[dt.date, list[int]] = {}
    for d, nrs in pain:
        buckets.setdefault(d, []).append(nrs)
    daily = [trends.DailyPain(d, sum(v) / len(v), max(v), len(v)) for d, v in sorted(buckets.items())]
    expected = trends.build_series(daily, Counter(doses), Counter(sessions), start, end)
    ordinals = np.array([d.toordinal() for d, _ in pain])
    got = trends.series_from_rows(
        ordinals,
        np.array([nrs for _, nrs in pain]),
        np.array([d.toordinal() for d in doses]),
        np.array([d.toordinal() for d in sessions]),
        start,
        end,
    )
    assert got == expected


def test_series_from_rows_handles_no_rows_and_refuses_an_end_before_the_start():
    empty = np.array([], dtype=np.int64)
    series = trends.series_from_rows(empty, empty, empty, empty, day(0), day(2))
    assert [d.mean for d in series.days] == [None, None, None] and series.is_empty
    assert trends.first_day(empty, empty) is None
    with pytest.raises(ValueError, match="before start"):
        trends.series_from_rows(empty, empty, empty, empty, day(5), day(1))
