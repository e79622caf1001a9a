"""Count the calls of one coroutine method of one object, letting each call through."""

from __future__ import annotations

from typing import Any


def count_calls(obj: Any, name: str) -> list[tuple]:
    """Wrap ``obj.<name>`` (a coroutine method); the returned list gets the arguments of each
    call as it starts."""
    real = getattr(obj, name)
    calls: list[tuple] = []

    async def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return await real(*args, **kwargs)

    setattr(obj, name, counted)
    return calls
