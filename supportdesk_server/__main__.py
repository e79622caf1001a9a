"""``supportdesk-server`` / ``python -m supportdesk_server``: run the reference server.

    supportdesk-server [--host 127.0.0.1] [--port 8765] [--database-url URL]
                       [--demo] [--demo-clients 2000] [--simulate-visitors RATE]
                       [--ready-file PATH] [--forward-return-seconds 90] [--log-level info]
                       [--bootstrap-admin LOGIN:PASSWORD] [--trusted-proxy IP ...]
                       [--widget-origin ORIGIN ...] [--ssl-certfile PEM --ssl-keyfile PEM]

* ``--port 0`` picks a free port; the socket is bound here and handed to uvicorn, so the real
  port is known and written to ``--ready-file`` as ``{"url": "http://127.0.0.1:PORT", "pid": N}``
  (written to a temp file and renamed: readers never see half a file).
* ``--database-url`` defaults to ``$SUPPORTDESK_DATABASE_URL``, else
  ``sqlite+aiosqlite:///<user data dir>/supportdesk-server/supportdesk.sqlite3``. Migrations are
  applied at start-up (SQLite and PostgreSQL).
* ``--bootstrap-admin LOGIN:PASSWORD``: first start of a real server. When the database has no
  agents yet, creates that admin and a department "General"; otherwise does nothing.
* ``--demo`` seeds the demo data set once and (rate > 0, default 3 per minute) runs the visitor
  simulator against this server once it listens.
* ``--widget-origin https://www.example.com`` (repeatable, or ``$SUPPORTDESK_WIDGET_ORIGINS``):
  sites besides this server that may embed the widget and use the visitor endpoints; ``*`` = any.
  See ``supportdesk_server/realtime/origin.py`` and docs/security.md.
* ``--ssl-certfile``/``--ssl-keyfile``: serve HTTPS and WSS (the ready file then says https://).
* SIGTERM / SIGINT: clean shutdown (sockets closed with 1012, background tasks stopped), exit 0.

Hidden knobs for tests: ``--event-retention-seconds``, ``--event-retention-count``,
``--prune-interval-seconds``, ``--login-max-failures``, ``--token-ttl-seconds``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import socket
import sys
from pathlib import Path

from supportdesk_server.config import (
    DATABASE_URL_ENV,
    Settings,
    default_database_url,
    server_version,
)

log = logging.getLogger("supportdesk_server")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="supportdesk-server",
                                description="SupportDesk reference server (HTTP + WebSocket API, "
                                            "visitor widget, optional demo data and visitors).")
    p.add_argument("--version", action="version",
                   version=f"supportdesk-server {server_version()} (Python {sys.version.split()[0]})")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one (default 8765)")
    p.add_argument("--database-url", default=None,
                   help="sqlite+aiosqlite:///path or postgresql+asyncpg://... (default: "
                        f"${DATABASE_URL_ENV} or a SQLite file in the user data dir)")
    p.add_argument("--demo", action="store_true",
                   help="seed the demo data set (once) and run the visitor simulator")
    p.add_argument("--demo-clients", type=int, default=2000, metavar="N",
                   help="clients in the demo data set (default 2000)")
    p.add_argument("--simulate-visitors", type=float, default=None, metavar="RATE",
                   help="simulated new chats per minute (default 3 with --demo; 0 = off)")
    p.add_argument("--ready-file", default=None, metavar="PATH",
                   help='once listening, write {"url": ..., "pid": ...} there (atomically)')
    p.add_argument("--forward-return-seconds", type=float, default=90.0,
                   help="a forwarded chat nobody took returns after this long (default 90)")
    p.add_argument("--log-level", default="info",
                   choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument("--bootstrap-admin", default=None, metavar="LOGIN:PASSWORD",
                   help="on a database without agents, create this admin and a department "
                        "'General' (first start of a production server)")
    p.add_argument("--trusted-proxy", action="append", default=[], metavar="IP",
                   help="honour X-Forwarded-For from this peer (repeatable)")
    p.add_argument("--widget-origin", action="append", default=[], metavar="ORIGIN",
                   help="a web site (https://host[:port]) allowed to embed the visitor widget and "
                        "use the visitor endpoints, besides this server's own origin "
                        "(repeatable; '*' allows every site; default: "
                        "$SUPPORTDESK_WIDGET_ORIGINS, comma-separated)")
    p.add_argument("--ssl-certfile", default=None, metavar="PEM",
                   help="serve HTTPS/WSS with this certificate (chain) file; needs --ssl-keyfile")
    p.add_argument("--ssl-keyfile", default=None, metavar="PEM",
                   help="the private key of --ssl-certfile")
    # Operational knobs, mostly for tests.
    p.add_argument("--event-retention-seconds", type=float, default=24 * 3600,
                   help=argparse.SUPPRESS)
    p.add_argument("--event-retention-count", type=int, default=100_000, help=argparse.SUPPRESS)
    p.add_argument("--prune-interval-seconds", type=float, default=300.0, help=argparse.SUPPRESS)
    p.add_argument("--login-max-failures", type=int, default=5, help=argparse.SUPPRESS)
    p.add_argument("--token-ttl-seconds", type=int, default=None, help=argparse.SUPPRESS)
    return p


def settings_from_args(args: argparse.Namespace) -> Settings:
    rate = args.simulate_visitors
    if rate is None:
        rate = 3.0 if args.demo else 0.0
    return Settings(
        database_url=args.database_url or default_database_url(),
        host=args.host, port=args.port, demo=args.demo, demo_clients=args.demo_clients,
        simulate_visitors=max(0.0, rate), ready_file=args.ready_file,
        forward_return_seconds=args.forward_return_seconds, log_level=args.log_level,
        bootstrap_admin=args.bootstrap_admin, trusted_proxies=tuple(args.trusted_proxy),
        event_retention_seconds=args.event_retention_seconds,
        event_retention_count=args.event_retention_count,
        prune_interval_seconds=args.prune_interval_seconds,
        login_max_failures=args.login_max_failures,
        widget_origins=widget_origins(args.widget_origin),
        ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile,
        **({"token_ttl_seconds": args.token_ttl_seconds} if args.token_ttl_seconds else {}),
    )


def widget_origins(values: list[str]) -> tuple[str, ...]:
    from supportdesk_server.realtime.origin import origins_from_env, parse_origins

    return parse_origins(values) if values else origins_from_env()


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: without it a response written as headers + body waits
    # for the client's delayed ACK (~40 ms on every keep-alive request; the desk's searches).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def write_ready_file(path: str, url: str) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"url": url, "pid": os.getpid()}))
    os.replace(tmp, target)


def _display_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


async def prepare(settings: Settings):  # noqa: ANN201
    """Database engine, migrations, bootstrap/demo data, event log: the ready ``Hub``."""
    from supportdesk_server.auth import bootstrap_admin
    from supportdesk_server.services.runtime import Hub
    from supportdesk_server.store.db import create_engine, make_sessionmaker, migrate

    engine = create_engine(settings.database_url)
    await migrate(engine)
    sessionmaker = make_sessionmaker(engine)
    if settings.bootstrap_admin:
        async with sessionmaker() as session:
            if await bootstrap_admin(session, settings.bootstrap_admin):
                log.info("created admin %r", settings.bootstrap_admin.partition(":")[0])
    if settings.demo:
        from supportdesk_server.demo.seed import seed_demo

        if await seed_demo(sessionmaker, clients=settings.demo_clients):
            log.info("seeded the demo data set (%d clients)", settings.demo_clients)
    hub = Hub(settings, engine, sessionmaker)
    await hub.events.load()
    await hub.events.prune(max_age_seconds=settings.event_retention_seconds,
                           keep_newest=settings.event_retention_count)
    return hub


def _server_class():  # noqa: ANN202
    import signal

    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn.Server whose SIGTERM/SIGINT only request a clean shutdown (exit code 0);
        stock uvicorn re-raises the signal after shutting down. ``on_exit`` callbacks run as
        soon as the shutdown is requested (e.g. stop the visitor simulator first)."""

        on_exit: list = []

        def handle_exit(self, sig, frame) -> None:  # noqa: ANN001
            for callback in self.on_exit:
                callback()
            super().handle_exit(sig, frame)

        @contextlib.contextmanager
        def capture_signals(self):  # noqa: ANN202
            loop = asyncio.get_running_loop()
            installed = []
            for sig in (signal.SIGINT, signal.SIGTERM):
                try:
                    loop.add_signal_handler(sig, self.handle_exit, sig, None)
                    installed.append(sig)
                except (NotImplementedError, RuntimeError):  # e.g. Windows
                    signal.signal(sig, self.handle_exit)
            try:
                yield
            finally:
                for sig in installed:
                    loop.remove_signal_handler(sig)

    return Server


async def serve(settings: Settings) -> int:
    import uvicorn

    from supportdesk_protocol import limits as L
    from supportdesk_server.app import create_app

    sock = bind_socket(settings.host, settings.port)
    port = sock.getsockname()[1]
    scheme = "https" if settings.ssl_certfile else "http"
    url = f"{scheme}://{_display_host(settings.host)}:{port}"
    hub = await prepare(settings)
    app = create_app(hub)
    config = uvicorn.Config(app, log_level=settings.log_level, ws_max_size=L.MAX_WS_FRAME_BYTES,
                            ws_ping_interval=20.0, ws_ping_timeout=20.0,
                            timeout_graceful_shutdown=5, lifespan="on",
                            proxy_headers=False, server_header=False,
                            ssl_certfile=settings.ssl_certfile, ssl_keyfile=settings.ssl_keyfile)
    server = _server_class()(config)
    simulator: asyncio.Task | None = None

    async def when_started() -> None:
        nonlocal simulator
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.02)
        log.info("SupportDesk server listening on %s", url)
        if settings.demo and settings.simulate_visitors > 0:
            from supportdesk_server.demo.simulator import VisitorSimulator, demo_client_logins

            sim = VisitorSimulator(f"http://127.0.0.1:{port}" if settings.host in
                                   ("0.0.0.0", "127.0.0.1", "") else url,
                                   settings.simulate_visitors,
                                   client_logins=await demo_client_logins(hub.sessionmaker))
            simulator = asyncio.create_task(sim.run(), name="visitor-simulator")
            server.on_exit = [simulator.cancel]
        if settings.ready_file:
            write_ready_file(settings.ready_file, url)

    watcher = asyncio.create_task(when_started())
    try:
        await server.serve(sockets=[sock])
    finally:
        for task in (watcher, simulator):
            if task is not None:
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        await hub.engine.dispose()
        sock.close()
    return 0


class _PeerGarbageFilter(logging.Filter):
    """uvicorn logs a client's invalid UTF-8 text frame (which it answers correctly with close
    1007) as an ERROR with a traceback: any visitor could fill the log with them. Keep one
    warning line without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Invalid UTF-8 sequence received from client"):
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.log_level != "debug":
        for noisy in ("httpx", "httpcore", "websockets",   # the simulator's client libraries
                      "alembic.runtime.plugins"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("uvicorn.error").addFilter(_PeerGarbageFilter())
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        log.error("cannot start: --ssl-certfile and --ssl-keyfile go together")
        return 2
    try:
        settings = settings_from_args(args)
    except ValueError as exc:
        log.error("cannot start: %s", exc)
        return 2
    try:
        return asyncio.run(serve(settings))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        log.error("cannot start: %s", exc)
        return 1


if __name__ == "__main__":
    sys.exit(main())
