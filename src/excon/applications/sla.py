"""Service levels in working days (Monday to Friday), with the clock stopped while waiting for the exporter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def add_working_days(start: dt.date, days: int) -> dt.date:
    current = start
    added = 0
    while added < days:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    days = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def working_days_open(start: dt.date, end: dt.date, pauses: Iterable[tuple[dt.date, dt.date | None]] = ()) -> int:
    """Working days from `start` to `end`, less the working days inside pauses (a pause without an end runs to
    `end`). Overlapping pauses count once."""
    paused: set[dt.date] = set()
    for pause_start, pause_end in pauses:
        stop = min(pause_end or end, end)
        current = pause_start
        while current < stop:
            current += dt.timedelta(days=1)
            if current.weekday() < 5:
                paused.add(current)
    return max(working_days_between(start, end) - len(paused), 0)
