"""Dates and times as the agent reads them: the one conversion of a wire ``datetime`` (UTC; a
naive one is taken as UTC) to a local ``QDateTime``, and the locale's short formats of it.

Every place that shows a time (chat bubbles, the queue's previews, the request and
notifications logs, the connection light's tooltip, the client's lists, a transcript) calls
these, so a time reads the same everywhere.
"""

from __future__ import annotations

from datetime import datetime, timezone

from supportdesk_qt.qt import QDateTime, QLocale

_SHORT = QLocale.FormatType.ShortFormat


def to_qdatetime(dt: datetime) -> QDateTime:
    """``dt`` as a ``QDateTime`` in the local time zone."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return QDateTime.fromMSecsSinceEpoch(int(dt.timestamp() * 1000)).toLocalTime()


def format_time(dt: datetime, locale: QLocale | None = None, *, seconds: bool = False,
                with_date: bool = False, now: datetime | None = None) -> str:
    """Local time of day in the locale's short format. ``seconds``: with the seconds (the request
    log); ``with_date``: the short date in front when ``dt`` is not today (``now``, local, says
    what today is; the clock by default)."""
    loc = locale or QLocale()
    local = to_qdatetime(dt)
    fmt = loc.timeFormat(_SHORT)
    if seconds and "s" not in fmt:
        fmt = fmt.replace("mm", "mm:ss", 1)
    text = loc.toString(local.time(), fmt)
    if with_date:
        today = to_qdatetime(now).date() if now is not None else QDateTime.currentDateTime().date()
        if local.date() != today:
            text = f"{loc.toString(local.date(), _SHORT)} {text}"
    return text


def format_datetime(dt: datetime | None, locale: QLocale | None = None) -> str:
    """Local date and time in the locale's short format; "" for no date."""
    if dt is None:
        return ""
    return (locale or QLocale()).toString(to_qdatetime(dt), _SHORT)


def format_date(dt: datetime | None, locale: QLocale | None = None) -> str:
    """Local date in the locale's short format; "" for no date."""
    if dt is None:
        return ""
    return (locale or QLocale()).toString(to_qdatetime(dt).date(), _SHORT)
