"""The desk's version: the one answer in :mod:`supportdesk_protocol.version` (the server reads
the same), re-exported so the desk's modules keep importing it from here."""

from supportdesk_protocol.version import DISTRIBUTION, UNKNOWN, _checkout_version, app_version

__all__ = ["DISTRIBUTION", "UNKNOWN", "_checkout_version", "app_version"]
