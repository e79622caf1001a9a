"""Locale-aware text for money, numbers and the enum values the server sends (dates and times:
``ui/common/datetime.py``; user text: ``ui/common/text.py``).

Money is a ``Decimal`` plus a currency code on the wire; it is shown with ``QLocale``'s grouping and
decimal separator and the currency's symbol where one is well known (the code otherwise).
"""

from __future__ import annotations

from decimal import Decimal

from supportdesk_qt.qt import QLocale, tr

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "RUB": "₽", "UAH": "₴", "INR": "₹",
            "PLN": "zł", "CHF": "CHF", "CAD": "CA$", "AUD": "A$"}


def money(amount: Decimal | float | int | None, currency: str = "",
          locale: QLocale | None = None) -> str:
    if amount is None:
        return ""
    loc = locale or QLocale()
    symbol = _SYMBOLS.get(currency.upper(), currency.upper())
    return loc.toCurrencyString(float(amount), symbol, 2)


def number(n: int, locale: QLocale | None = None) -> str:
    return (locale or QLocale()).toString(int(n))


# Enum values as agents read them. Kept as functions so tr() runs after a translator is installed.

def enum_label(value: object) -> str:
    raw = str(getattr(value, "value", value))
    labels = {
        # client / service / payment / ticket statuses
        "active": tr("Status", "Active"), "suspended": tr("Status", "Suspended"),
        "closed": tr("Status", "Closed"), "pending": tr("Status", "Pending"),
        "deleted": tr("Status", "Deleted"), "new": tr("Status", "New"),
        "paid": tr("Status", "Paid"), "cancelled": tr("Status", "Cancelled"),
        "refunded": tr("Status", "Refunded"), "in_progress": tr("Status", "In progress"),
        "waiting": tr("Status", "Waiting for client"),
        # priorities
        "low": tr("Priority", "Low"), "normal": tr("Priority", "Normal"),
        "high": tr("Priority", "High"), "urgent": tr("Priority", "Urgent"),
    }
    return labels.get(raw, raw.replace("_", " ").capitalize())


def matched_field_label(field: str) -> str:
    labels = {
        "login": tr("Search", "login"), "email": tr("Search", "email"),
        "client_id": tr("Search", "client id"), "service_id": tr("Search", "service id"),
        "domain": tr("Search", "domain"), "payment_number": tr("Search", "payment"),
        "ticket_id": tr("Search", "ticket id"), "ip": tr("Search", "IP address"),
        "phone": tr("Search", "phone"), "name": tr("Search", "name"),
    }
    return labels.get(field, field.replace("_", " "))
