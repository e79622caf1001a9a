"""A TCP proxy that cuts connections on command (issue 6, fault tests). asyncio, our own code.

``FaultProxy(target_host, target_port)`` listens on a free loopback port and forwards every
connection to the target. :meth:`cut` ends every current connection in one of two ways:

* ``"reset"`` - both sides get a TCP RST at once (a crashed router, a killed NAT entry): the
  client notices immediately;
* ``"blackhole"`` - the bytes simply stop flowing in both directions while both sockets stay open
  (a dead Wi-Fi, a laptop lid, a silently dropped NAT entry): only a heartbeat notices. The
  sockets are reset ``hold`` seconds later.

With ``outage`` seconds, new connections are refused (accepted and reset at once) for that long
after the cut, so a reconnect meets a dead network for a while, as it would in real life.

Every cut is recorded (``cuts``: monotonic time, mode, number of connections it ended) so a test
can measure how fast the client noticed.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import time
from dataclasses import dataclass, field


@dataclass
class Cut:
    at: float           # time.monotonic() of the cut
    mode: str           # "reset" | "blackhole"
    connections: int    # how many live connections it ended


@dataclass(eq=False)   # identity, so pipes can live in a set
class _Pipe:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter
    tasks: list[asyncio.Task] = field(default_factory=list)
    blackholed: bool = False


def _rst(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0), not a polite FIN."""
    sock = writer.get_extra_info("socket")
    with contextlib.suppress(OSError, AttributeError):
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(Exception):
        writer.transport.abort()


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, host: str = "127.0.0.1") -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.host = host
        self.port = 0
        self.cuts: list[Cut] = []
        self.accepted = 0
        self._pipes: set[_Pipe] = set()
        self._server: asyncio.base_events.Server | None = None
        self._refuse_until = 0.0
        self._timers: set[asyncio.TimerHandle] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def live(self) -> int:
        return sum(1 for p in self._pipes if not p.blackholed)

    async def start(self) -> "FaultProxy":
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        if self._server is not None:
            self._server.close()
        for pipe in list(self._pipes):
            self._end(pipe)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)

    async def __aenter__(self) -> "FaultProxy":
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    # -- faults

    def cut(self, mode: str = "reset", *, hold: float = 10.0, outage: float = 0.0) -> Cut:
        """End every current connection (see the module docstring for the modes)."""
        assert mode in ("reset", "blackhole"), mode
        loop = asyncio.get_running_loop()
        pipes = [p for p in self._pipes if not p.blackholed]
        for pipe in pipes:
            if mode == "reset":
                self._end(pipe)
            else:
                pipe.blackholed = True   # the pumps drop everything from now on
                timer = loop.call_later(hold, self._end, pipe)
                self._timers.add(timer)
        self._refuse_until = max(self._refuse_until, time.monotonic() + outage)
        rec = Cut(time.monotonic(), mode, len(pipes))
        self.cuts.append(rec)
        return rec

    def _end(self, pipe: _Pipe) -> None:
        self._pipes.discard(pipe)
        _rst(pipe.client)
        _rst(pipe.upstream)
        for task in pipe.tasks:
            task.cancel()

    # -- forwarding

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if time.monotonic() < self._refuse_until:
            _rst(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(self.target_host,
                                                                 self.target_port)
        except OSError:
            _rst(writer)     # the server is down: the client sees a reset, as without a proxy
            return
        self.accepted += 1
        pipe = _Pipe(writer, up_writer)
        self._pipes.add(pipe)
        pipe.tasks = [asyncio.create_task(self._pump(pipe, reader, up_writer)),
                      asyncio.create_task(self._pump(pipe, up_reader, writer))]
        await asyncio.gather(*pipe.tasks, return_exceptions=True)
        if pipe in self._pipes and not pipe.blackholed:
            self._pipes.discard(pipe)
            for w in (writer, up_writer):
                with contextlib.suppress(Exception):
                    w.close()

    @staticmethod
    async def _pump(pipe: _Pipe, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await src.read(65536)
                if not data:
                    if not pipe.blackholed:
                        with contextlib.suppress(Exception):
                            dst.write_eof()
                    return
                if pipe.blackholed:
                    continue            # swallowed: the other side hears nothing
                dst.write(data)
                await dst.drain()
        except (OSError, asyncio.IncompleteReadError, ConnectionError):
            return
