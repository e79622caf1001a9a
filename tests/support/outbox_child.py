"""A desk client that dies with messages in its outbox (tests/core/test_outbox_crash.py).

``python -m tests.support.outbox_child SERVER_URL OUTBOX_PATH CHAT_ID N``: signs in as ``demo``,
takes the chat, prints ``signed-in`` and waits for a line on stdin (the test stops the server
meanwhile); then writes N messages to the outbox (each delivery attempt fails: the server is
down), prints ``written`` and waits to be killed.
"""

from __future__ import annotations

import asyncio
import sys

from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.outbox import Outbox


async def main(server_url: str, path: str, chat_id: int, n: int) -> None:
    backend = HttpBackend(server_url, timeout=5.0)
    await backend.login("demo", "demo")
    await backend.take_chat(chat_id)
    print("signed-in", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    outbox = Outbox(path, backend, backoff_base=0.05, backoff_cap=0.2)
    for i in range(n):
        await outbox.add(chat_id, f"offline message {i}")
    print("written", flush=True)
    await asyncio.Event().wait()            # until SIGKILL


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
