"""Locale-aware text for money, numbers and the enum values the server sends (dates and times:
``ui/common/datetime.py``; user text: ``ui/common/text.py``).

Money is a ``Decimal`` plus a currency code on the wire; it is shown with ``QLocale``'s grouping and
decimal separator and the currency's symbol where one is well known (the code otherwise).
"""

from __future__ import annotations

from decimal import Decimal

from supportdesk_qt.qt import QLocale, translate

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


# Enum values as agents read them. Kept as functions so translate() runs after a translator is installed.

def enum_label(value: object) -> str:
    raw = str(getattr(value, "value", value))
    labels = {
        # client / service / payment / ticket statuses
        "active": translate("Status", "Active"), "suspended": translate("Status", "Suspended"),
        "closed": translate("Status", "Closed"), "pending": translate("Status", "Pending"),
        "deleted": translate("Status", "Deleted"), "new": translate("Status", "New"),
        "paid": translate("Status", "Paid"), "cancelled": translate("Status", "Cancelled"),
        "refunded": translate("Status", "Refunded"), "in_progress": translate("Status", "In progress"),
        "waiting": translate("Status", "Waiting for client"),
        # priorities
        "low": translate("Priority", "Low"), "normal": translate("Priority", "Normal"),
        "high": translate("Priority", "High"), "urgent": translate("Priority", "Urgent"),
    }
    return labels.get(raw, raw.replace("_", " ").capitalize())


def matched_field_label(field: str) -> str:
    labels = {
        "login": translate("Search", "login"), "email": translate("Search", "email"),
        "client_id": translate("Search", "client id"), "service_id": translate("Search", "service id"),
        "domain": translate("Search", "domain"), "payment_number": translate("Search", "payment"),
        "ticket_id": translate("Search", "ticket id"), "ip": translate("Search", "IP address"),
        "phone": translate("Search", "phone"), "name": translate("Search", "name"),
    }
    return labels.get(field, field.replace("_", " "))
