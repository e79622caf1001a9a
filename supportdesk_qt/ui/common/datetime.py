"""Dates and times as the agent reads them: the one conversion of a wire ``datetime`` (UTC; a
naive one is taken as UTC) to a local ``QDateTime``, and the locale's short formats of it.

Every place that shows a time (chat bubbles, the queue's previews, the request and
notifications logs, the connection light's tooltip, the client's lists, a transcript) calls
these, so a time reads the same everywhere.

The formats are the locale's short ones (``QLocale``: 29.11.2026 11:51 in Russian, 29/11/2026 in
British English, 11/29/26 11:51 AM in American English), except for the "C" locale of a system
with no locale configured (``LANG=C``): Qt's short date there is "29 11 2026", which reads like
three numbers, so such a desk shows the ISO date (2026-11-29) and a 24-hour time instead.
"""

from __future__ import annotations

from datetime import datetime, timezone

from supportdesk_qt.qt import QDateTime, QLocale

_SHORT = QLocale.FormatType.ShortFormat
_ISO_DATE, _ISO_TIME = "yyyy-MM-dd", "HH:mm"


def _is_c(loc: QLocale) -> bool:
    return loc.language() == QLocale.Language.C


def date_format(locale: QLocale | None = None) -> str:
    """The short date format of ``locale`` (the default locale), as for a date edit's display."""
    loc = locale or QLocale()
    return _ISO_DATE if _is_c(loc) else loc.dateFormat(_SHORT)


def time_format(locale: QLocale | None = None) -> str:
    """The short time-of-day format of ``locale`` (the default locale)."""
    loc = locale or QLocale()
    return _ISO_TIME if _is_c(loc) else loc.timeFormat(_SHORT)


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
    fmt = time_format(loc)
    if seconds and "s" not in fmt:
        fmt = fmt.replace("mm", "mm:ss", 1)
    text = loc.toString(local.time(), fmt)
    if with_date:
        today = to_qdatetime(now).date() if now is not None else QDateTime.currentDateTime().date()
        if local.date() != today:
            text = f"{loc.toString(local.date(), date_format(loc))} {text}"
    return text


def format_datetime(dt: datetime | None, locale: QLocale | None = None) -> str:
    """Local date and time in the locale's short format; "" for no date."""
    if dt is None:
        return ""
    loc = locale or QLocale()
    fmt = f"{_ISO_DATE} {_ISO_TIME}" if _is_c(loc) else loc.dateTimeFormat(_SHORT)
    return loc.toString(to_qdatetime(dt), fmt)


def format_date(dt: datetime | None, locale: QLocale | None = None) -> str:
    """Local date in the locale's short format; "" for no date."""
    if dt is None:
        return ""
    loc = locale or QLocale()
    return loc.toString(to_qdatetime(dt).date(), date_format(loc))
