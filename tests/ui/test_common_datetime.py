"""The one date/time conversion of the desk (``ui/common/datetime.py``): a wire datetime (UTC,
naive taken as UTC) shown in the agent's time zone and locale, the same everywhere."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

import pytest

from supportdesk_qt.qt import QLocale
from supportdesk_qt.ui.common.datetime import (
    format_date,
    format_datetime,
    format_time,
    to_qdatetime,
)

GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)    # "HH:mm", "dd.MM.yy"


@pytest.fixture
def tokyo():
    """The desk's clock in UTC+9 (no daylight saving), so UTC and local time differ."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_a_wire_time_is_shown_in_local_time_and_a_naive_one_counts_as_utc(qapp, tokyo):
    aware = datetime(2026, 3, 1, 23, 30, 5, tzinfo=timezone.utc)
    naive = aware.replace(tzinfo=None)
    for dt in (aware, naive, aware.astimezone(timezone(timedelta(hours=-5)))):
        local = to_qdatetime(dt)
        assert (local.date().toString("yyyy-MM-dd"), local.time().toString("HH:mm:ss")) \
            == ("2026-03-02", "08:30:05")
        assert format_time(dt, GERMAN) == "08:30"
        assert format_time(dt, GERMAN, seconds=True) == "08:30:05"
        assert format_date(dt, GERMAN) == "02.03.26"
        assert format_datetime(dt, GERMAN) == "02.03.26 08:30"


def test_the_date_is_put_in_front_only_when_it_is_not_today(qapp, tokyo):
    dt = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)          # 2 March, 08:30 in Tokyo
    same_day = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)     # 2 March, 23:00 in Tokyo
    next_day = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)    # 3 March, 00:30 in Tokyo
    assert format_time(dt, GERMAN, with_date=True, now=same_day) == "08:30"
    assert format_time(dt, GERMAN, with_date=True, now=next_day) == "02.03.26 08:30"
    assert format_time(dt, GERMAN, now=next_day) == "08:30"        # only when asked


def test_no_date_is_an_empty_text(qapp):
    assert format_datetime(None) == "" and format_date(None) == ""


def test_russian_and_the_c_locale_read_as_dates_not_three_numbers(qapp, tokyo):
    dt = datetime(2026, 11, 29, 2, 51, tzinfo=timezone.utc)          # 29 Nov, 11:51 in Tokyo
    russian = QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
    assert format_datetime(dt, russian) == "29.11.2026 11:51"
    assert format_date(dt, russian) == "29.11.2026"
    # LANG=C: Qt's own short format would be "29 11 2026 11:51"
    c = QLocale.c()
    assert format_datetime(dt, c) == "2026-11-29 11:51"
    assert format_date(dt, c) == "2026-11-29"
    assert format_time(dt, c, with_date=True, now=dt + timedelta(days=1)) == "2026-11-29 11:51"
