"""A desk core that is SIGKILLed while its outbox is delivering (tests/fault/test_client_kill.py).

``python -m tests.fault.outbox_child SERVER_URL OUTBOX_PATH CHAT_ID GENERATION N``: signs in as
``demo``, opens the outbox file (rows a killed predecessor left pending are delivered first), adds
N messages ``g<GENERATION>-<i>`` as fast as it can while the outbox delivers, and prints
``added <text>`` once a row is committed and ``sent <text>`` once the server confirmed it. After
everything is delivered it prints ``flushed`` and waits to be killed.
"""

from __future__ import annotations

import asyncio
import sys

from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.outbox import Outbox, OutboxState


async def main(server_url: str, path: str, chat_id: int, generation: int, n: int) -> None:
    backend = HttpBackend(server_url, timeout=5.0)
    await backend.login("demo", "demo")
    outbox = Outbox(path, backend, backoff_base=0.05, backoff_cap=0.5)

    def on_change(entry, result=None) -> None:  # noqa: ANN001
        if entry.state == OutboxState.SENT and result is not None:
            print(f"sent {entry.text}", flush=True)

    outbox.subscribe(on_change)
    print("ready", flush=True)
    flushing = asyncio.ensure_future(outbox.flush())   # the predecessor's pending rows
    for i in range(n):
        entry = await outbox.add(chat_id, f"g{generation}-{i}")
        print(f"added {entry.text}", flush=True)
    await flushing
    await outbox.flush()
    print("flushed", flush=True)
    await asyncio.Event().wait()            # until killed


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                     int(sys.argv[5])))
