"""Filtering a client's lists (``?q=`` and ``?status=``) through the real server, on SQLite and on
PostgreSQL (skipped only when PostgreSQL does not answer): every list finds its rows by each text
column, case-insensitively; LIKE wildcards typed by the agent match themselves; ``total`` counts
the filtered rows and paging walks them; a too long ``q``, a NUL or an unknown status is a 422
naming the parameter; another department's client stays a 404."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from supportdesk_protocol import limits as L
from supportdesk_server.store import models as M
from supportdesk_server.store.db import create_engine, make_sessionmaker
from tests.server.helpers import SALES, TECH, Agent, assert_error, seeded_server

CLIENT, OTHER = 1, 2          # ids on a fresh database (Sales, Tech)
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


async def seed_filter_clients(database_url: str) -> None:
    """Client 1 (Sales) has rows whose text is mixed case and contains %, _ and \\; client 2
    (Tech) has look-alike rows that must never leak into client 1's lists."""
    engine = create_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as s:
            for n, dept in ((1, SALES), (2, TECH)):
                c = M.Client(name=f"Filter client {n}", email=f"f@c{n}.example", phone="",
                             project_name="Main", department_id=dept, balance=Decimal("0"),
                             currency="USD")
                s.add(c)
                await s.flush()
                users = [("alice_w", "Alice@Example.com", "Alice Wonder"),
                         ("alicexw", "other@example.com", "Bob Builder"),
                         ("carol", "carol@mail.example", "Carol 100% Sure")]
                for login, email, name in users:
                    s.add(M.ClientUser(client_id=c.id, login=f"{login}{n}", email=email,
                                       full_name=name))
                pays = [("INV-100", "card", "paid", "Discount 50%"),
                        ("INV-101", "PayPal", "new", "first_payment"),
                        ("INV-102", "card", "refunded", "back\\slash note"),
                        ("CR-7", "wire", "cancelled", "")]
                for i, (num, method, status, note) in enumerate(pays):
                    s.add(M.Payment(client_id=c.id, number=f"{num}-{n}", amount=Decimal("10"),
                                    currency="USD", status=status, method=method, note=note,
                                    created_at=T0 + timedelta(days=i)))
                svcs = [("Web Hosting", "hosting", "shop.example.com", "10.0.0.5", "active"),
                        ("Mail box", "mail", "mail.example.org", "10.0.1.7", "suspended"),
                        ("VPS 50%", "vps", "", "192.168.5.5", "pending")]
                for name, typ, dom, ip, status in svcs:
                    s.add(M.Service(client_id=c.id, name=name, type=typ, domain=dom, ip=ip,
                                    price=Decimal("5"), currency="USD", status=status))
                tickets = [("Cannot LOGIN to panel", "new", "high"),
                           ("Invoice question", "in_progress", "normal"),
                           ("Refund_request", "closed", "low")]
                for i, (subject, status, prio) in enumerate(tickets):
                    s.add(M.Ticket(client_id=c.id, subject=subject, department_id=dept,
                                   status=status, priority=prio,
                                   created_at=T0, updated_at=T0 + timedelta(hours=i)))
                for i, desc in enumerate(["Domain renewal", "SSL certificate", "Setup fee 5%"]):
                    s.add(M.Expense(client_id=c.id, description=desc, amount=Decimal("1"),
                                    currency="USD", created_at=T0 + timedelta(days=i)))
                for name in ("Main site", "Blog", "main_backup"):
                    s.add(M.Project(client_id=c.id, name=name, enabled=True))
                # enough payments of one kind to need two pages
                for i in range(7):
                    s.add(M.Payment(client_id=c.id, number=f"BULK-{n}-{i}", amount=Decimal("1"),
                                    currency="USD", status="new", method="bulk",
                                    created_at=T0 - timedelta(days=i + 1)))
            await s.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                                marks=pytest.mark.postgres)])
def filter_server(request, tmp_path_factory):
    with seeded_server(tmp_path_factory.mktemp(f"filters-{request.param}"), request.param,
                       seed_filter_clients) as srv:
        yield srv


@pytest.fixture(scope="module")
def bob(filter_server):
    a = Agent(filter_server, "bob")
    yield a
    a.close()


def listing(agent: Agent, kind: str, client_id: int = CLIENT, **params) -> dict:
    r = agent.get(f"/clients/{client_id}/{kind}", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"]) or body["total"] > len(body["items"])
    return body


def field(body: dict, name: str) -> list:
    return sorted(item[name] for item in body["items"])


# --- each list finds its rows by each text column ----------------------------------------------


@pytest.mark.parametrize(("kind", "q", "key", "expected"), [
    ("users", "alice_w", "login", ["alice_w1"]),                   # _ is literal
    ("users", "ALICE", "login", ["alice_w1", "alicexw1"]),         # login and e-mail, any case
    ("users", "mail.example", "login", ["carol1"]),                # e-mail
    ("users", "builder", "login", ["alicexw1"]),                   # full name
    ("users", "100%", "login", ["carol1"]),                        # % is literal
    ("payments", "inv-10", "number", ["INV-100-1", "INV-101-1", "INV-102-1"]),
    ("payments", "paypal", "number", ["INV-101-1"]),               # method
    ("payments", "REFUNDED", "number", ["INV-102-1"]),             # status
    ("payments", "50%", "number", ["INV-100-1"]),                  # note, % literal
    ("payments", "t_p", "number", ["INV-101-1"]),                  # note, _ literal
    ("payments", "back\\slash", "number", ["INV-102-1"]),          # \ literal
    ("services", "hosting", "name", ["Web Hosting"]),              # name and type
    ("services", "EXAMPLE.ORG", "name", ["Mail box"]),             # domain
    ("services", "10.0.1", "name", ["Mail box"]),                  # IP address
    ("services", "vps", "name", ["VPS 50%"]),                      # type
    ("services", "suspend", "name", ["Mail box"]),                 # status
    ("tickets", "login", "subject", ["Cannot LOGIN to panel"]),    # subject
    ("tickets", "in progress", "subject", ["Invoice question"]),   # status, spaces as _
    ("tickets", "HIGH", "subject", ["Cannot LOGIN to panel"]),     # priority
    ("tickets", "d_r", "subject", ["Refund_request"]),
    ("expenses", "ssl", "description", ["SSL certificate"]),
    ("expenses", "5%", "description", ["Setup fee 5%"]),
    ("projects", "MAIN", "name", ["Main site", "main_backup"]),
    ("projects", "n_b", "name", ["main_backup"]),
])
def test_filter_finds_rows_case_insensitively(bob, kind, q, key, expected):
    body = listing(bob, kind, q=q)
    assert field(body, key) == sorted(expected)
    assert body["total"] == len(expected)


@pytest.mark.parametrize(("kind", "q"), [
    ("users", "%"), ("users", "_"), ("payments", "%%"), ("payments", "\\"),
    ("services", "_"), ("tickets", "%"), ("expenses", "\\%"), ("projects", "%_%"),
    ("payments", "nothing like this"),
])
def test_wildcards_alone_match_only_themselves(bob, kind, q):
    body = listing(bob, kind, q=q)
    for item in body["items"]:
        text = " ".join(str(v) for v in item.values() if isinstance(v, str)).casefold()
        assert q.casefold() in text or q.replace(" ", "_") in text, (q, item)
    if q in ("%%", "\\%", "%_%", "nothing like this", "\\"):
        assert body["total"] == (1 if q == "\\" else 0), body


def test_a_number_also_matches_the_row_id(bob):
    tickets = listing(bob, "tickets")["items"]
    t = tickets[0]
    body = listing(bob, "tickets", q=str(t["id"]))
    assert t["id"] in [i["id"] for i in body["items"]]


def test_status_filter_and_its_combination_with_q(bob):
    body = listing(bob, "payments", status="new")
    assert {p["status"] for p in body["items"]} == {"new"} and body["total"] == 8
    body = listing(bob, "payments", status="new", q="inv")
    assert field(body, "number") == ["INV-101-1"] and body["total"] == 1
    assert listing(bob, "services", status="pending")["total"] == 1
    assert field(listing(bob, "tickets", status="closed"), "subject") == ["Refund_request"]


def test_total_counts_filtered_rows_and_paging_walks_them(bob):
    everything = listing(bob, "payments")
    assert everything["total"] == 11
    first = listing(bob, "payments", q="bulk", limit=4)
    assert first["total"] == 7 and len(first["items"]) == 4
    second = listing(bob, "payments", q="BULK", limit=4, offset=4)
    assert second["total"] == 7 and len(second["items"]) == 3
    numbers = [p["number"] for p in first["items"] + second["items"]]
    # the list's own order (newest first) survives the filter
    assert numbers == [f"BULK-1-{i}" for i in range(7)]


def test_blank_filter_is_no_filter_and_other_clients_never_leak(bob, filter_server):
    assert listing(bob, "services", q="   ")["total"] == 3
    assert all(p["number"].endswith("-1") for p in listing(bob, "payments", q="inv")["items"])
    # Tech's client stays invisible to bob, filter or not
    assert_error(bob.get(f"/clients/{OTHER}/payments", params={"q": "inv"}), 404, "not_found")
    dave = Agent(filter_server, "dave")
    try:
        assert field(listing(dave, "payments", client_id=OTHER, q="inv-100"), "number") == \
            ["INV-100-2"]
    finally:
        dave.close()


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["users", "payments", "services", "tickets", "expenses",
                                  "projects"])
def test_too_long_filter_is_422_naming_q(bob, kind):
    ok = bob.get(f"/clients/{CLIENT}/{kind}", params={"q": "x" * L.MAX_SEARCH_QUERY})
    assert ok.status_code == 200 and ok.json()["total"] == 0
    body = assert_error(bob.get(f"/clients/{CLIENT}/{kind}",
                                params={"q": "x" * (L.MAX_SEARCH_QUERY + 1)}),
                        422, "validation_error")
    assert body["details"][0]["loc"] == ["q"]
    assert str(L.MAX_SEARCH_QUERY) in body["message"]


def test_nul_and_bad_status_are_422(bob):
    body = assert_error(bob.get(f"/clients/{CLIENT}/payments", params={"q": "a\x00b"}),
                        422, "validation_error")
    assert body["details"][0]["loc"] == ["q"] and "NUL" in body["message"]
    body = assert_error(bob.get(f"/clients/{CLIENT}/payments", params={"status": "lost"}),
                        422, "validation_error")
    assert body["details"][0]["loc"] == ["status"] and "paid" in body["message"]
    body = assert_error(bob.get(f"/clients/{CLIENT}/tickets", params={"status": "open"}),
                        422, "validation_error")
    assert body["details"][0]["loc"] == ["status"]
    # lists without a status column have no status filter (the parameter is ignored, as any
    # unknown query parameter is)
    assert listing(bob, "projects", status="whatever")["total"] == 3


def test_unicode_filter_is_harmless(bob):
    assert listing(bob, "expenses", q="über ‘quotes’ 🙂")["total"] == 0
