"""Every frame the server sends in a test must be described by the AsyncAPI document.

``FrameChecker`` validates a received text frame against the message of its socket (by ``op``;
events by ``server.event.<type>``) in ``supportdesk_protocol.asyncapi``, strictly: a field the
document does not list is an error too (every object schema gets ``additionalProperties:
false`` here, while the published document lets clients ignore unknown fields).
``tests/server/conftest.py`` wraps the websockets clients' ``recv`` with it for every test of
tests/server.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema_rs

from supportdesk_protocol.asyncapi import asyncapi_document


def _strict(node: Any) -> Any:
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _strict(value)
    elif isinstance(node, list):
        for value in node:
            _strict(value)
    return node


class FrameChecker:
    def __init__(self, document: dict[str, Any] | None = None) -> None:
        doc = document or asyncapi_document()
        components = _strict(copy.deepcopy(doc["components"]))
        self._validators: dict[str, dict[str, Any]] = {}
        for channel in doc["channels"].values():
            self._validators[channel["address"]] = {
                key: jsonschema_rs.validator_for({"$ref": msg["payload"]["$ref"],
                                                  "components": components})
                for key, msg in channel["messages"].items() if key.startswith("server.")}

    def addresses(self) -> list[str]:
        return list(self._validators)

    def problem(self, address: str, text: str) -> str | None:
        """None when ``text`` is a described frame of the socket at ``address``."""
        validators = self._validators.get(address)
        if validators is None:
            return None          # not one of the two sockets
        try:
            frame = json.loads(text)
        except ValueError:
            return f"{address}: a frame that is not JSON: {text[:200]!r}"
        if not isinstance(frame, dict):
            return f"{address}: a frame that is not an object: {text[:200]!r}"
        op = frame.get("op")
        key = f"server.event.{frame.get('type')}" if op == "event" else f"server.{op}"
        validator = validators.get(key)
        if validator is None:
            return f"{address}: frame {key!r} is not described in asyncapi.json: {text[:300]}"
        errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}"
                  for e in validator.iter_errors(frame)]
        if errors:
            return f"{address}: {key} does not match asyncapi.json: {errors[:5]} in {text[:500]}"
        return None
