"""Seed a realistic, deterministic demo data set.

``await seed_demo(sessionmaker, clients=2000, seed=1)`` fills an *empty* database with departments,
agents, clients (with login users, payments, services, tickets and posts, expenses, projects),
closed chat history with visitors, pre-defined replies and change-log entries. It returns ``False``
and changes nothing when the database already holds departments, agents or clients.

Determinism: all content comes from ``random.Random(seed)``. Times are offsets from a base moment,
by default today's UTC midnight (so service expiries and payment dates stay realistic whatever day
the demo runs); pass ``base=`` for a fixed moment. Same seed + same base => identical rows, ids
included (on a fresh database).

Speed: rows are generated in Python, then written with bulk ``insert(Model)`` executemany in
chunks; parent ids come back through ``RETURNING`` in parameter order, so the database assigns
every id itself (no sequence fix-up on PostgreSQL). Every agent and client user shares one argon2
hash of :data:`~supportdesk_server.demo.DEMO_PASSWORD`, computed once.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
import unicodedata
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import func, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from supportdesk_server.demo import DEMO_AGENT, DEMO_PASSWORD
from supportdesk_server.demo import phrases as P
from supportdesk_server.store.models import (
    Agent,
    AgentDepartment,
    ChangelogEntry,
    Chat,
    ChatMessage,
    Client,
    ClientUser,
    Department,
    Expense,
    Payment,
    PredefinedReply,
    Project,
    Service,
    Ticket,
    TicketPost,
    Visitor,
)

log = logging.getLogger(__name__)

CHUNK = 2000

SEEDED_WITH_IDS = (Department, Agent, Client, ClientUser, Payment, Service, Expense, Project, Ticket,
                   TicketPost, Chat, ChatMessage, PredefinedReply, ChangelogEntry)

# (login, display name, role, departments); "*" = every department.
AGENTS: list[tuple[str, str, str, Sequence[str]]] = [
    (DEMO_AGENT, "Dana Demo", "head", "*"),
    ("admin", "Alex Admin", "admin", "*"),
    ("olivia", "Olivia Grant", "head", ["Sales"]),
    ("sam", "Sam Carter", "agent", ["Sales"]),
    ("tom", "Tom Becker", "head", ["Technical support"]),
    ("priya", "Priya Nair", "agent", ["Technical support"]),
    ("lee", "Lee Wong", "agent", ["Technical support", "Domains"]),
    ("marta", "Marta Kowalska", "agent", ["Technical support"]),
    ("ben", "Ben Okafor", "head", ["Billing"]),
    ("ines", "Inês Duarte", "agent", ["Billing", "Sales"]),
    ("dmitri", "Dmitri Volkov", "agent", ["Domains"]),
    ("yuki", "Yuki Tanaka", "agent", ["Domains", "Technical support"]),
]

# Which department owns a client (weights), by the same order as phrases.DEPARTMENTS.
CLIENT_DEPARTMENT_WEIGHTS = [15, 55, 20, 10]

SERVICE_TYPES = [  # type, weight, names, price range
    ("hosting", 40, ["Shared hosting Starter", "Shared hosting Business", "Shared hosting Pro"], (2.99, 19.99)),
    ("vps", 18, ["VPS S-2", "VPS M-4", "VPS L-8", "VPS XL-16"], (7.99, 79.0)),
    ("dedicated", 4, ["Dedicated DX-32", "Dedicated DX-64", "Dedicated EPYC-128"], (89.0, 399.0)),
    ("domain", 28, ["Domain"], (8.99, 39.99)),
    ("ssl", 10, ["SSL Let's Encrypt", "SSL PositiveSSL", "SSL OV Business", "SSL Wildcard"], (0.0, 149.0)),
]

REPLIES: list[tuple[str, str, str, str | None, bool]] = [  # title, text, scope, department/owner, chat_only
    ("Greeting", "Hello {client_name}! My name is {agent_name}, how can I help you today?",
     "department", "Technical support", True),
    ("One moment", "Thank you for waiting, I'm checking this for you right now.", "department",
     "Technical support", True),
    ("DNS propagation", "DNS changes can take up to 24 hours to propagate worldwide, usually much "
     "less. You can check the progress at a DNS checker of your choice.", "department",
     "Technical support", False),
    ("Backup restore", "We keep daily backups for 14 days. Tell us the date and the folder or "
     "database to restore and we'll do it free of charge.", "department", "Technical support", False),
    ("Payment received", "We have received your payment, thank you! Your services have been "
     "extended.", "department", "Billing", False),
    ("Bank transfer delay", "Bank transfers take 1–2 business days. Please send us the transfer "
     "reference so we can match it faster.", "department", "Billing", False),
    ("Auth code", "You can find the domain's auth (EPP) code in the client area under Domains → "
     "Manage → Transfer.", "department", "Domains", False),
    ("Plan comparison", "Business hosting includes daily backups, free SSL and 4x the resources of "
     "Starter. Here is the comparison: https://www.example-hosting.test/pricing", "department",
     "Sales", True),
    ("Goodbye", "Thank you for contacting us, {client_name}! Have a great day.", "personal",
     DEMO_AGENT, True),
    ("Ticket follow-up", "I've created a ticket for this so our administrators can follow up. You'll "
     "get an email with every update.", "personal", DEMO_AGENT, False),
    ("Escalation", "I'm passing this to our second-line engineers; they will contact you within "
     "an hour.", "personal", "tom", False),
]

CHANGELOG = [
    ("0.1.0", 0, "Chats, tickets and client search in one workplace",
     "The first release of SupportDesk: list of chats with live counters, chat tabs, client search "
     "by login, email, domain, IP or payment number."),
    ("0.0.9", 9, "Forwarding chats to another department",
     "Forward a chat with a comment; if nobody takes it within 90 seconds it comes back."),
    ("0.0.8", 21, "Pre-defined replies",
     "Save any message as a reply for your department or just for you; chat-only replies stay out "
     "of tickets."),
    ("0.0.7", 35, "Client panel in chats",
     "See the client's project, services, payments and previous chats next to the conversation."),
    ("0.0.6", 52, "Notifications log",
     "Every notification is kept in a log you can open from the user menu."),
    ("0.0.5", 80, "Online / offline status",
     "Going offline returns your active chats to the list so colleagues can pick them up."),
]


def _ascii(text: str) -> str:
    """'Inês Müller' -> 'ines muller' for logins and e-mail addresses."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if c.isascii() and (c.isalnum() or c == " ")).lower()


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def default_base() -> datetime:
    now = datetime.now(timezone.utc)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


class _Generator:
    """Builds every row in memory; foreign keys to not-yet-inserted parents are list indexes
    (``_client``, ``_ticket``, ``_chat``) that :func:`seed_demo` resolves after inserting parents."""

    def __init__(self, seed: int, base: datetime, clients: int) -> None:
        self.rng = random.Random(seed)
        self.base = base
        self.n_clients = clients
        self.logins: set[str] = set()
        self.payment_no = 0
        self.dept_names = list(P.DEPARTMENTS)
        self.agents_by_dept: dict[str, list[int]] = {name: [] for name in P.DEPARTMENTS}
        for ai, (_, _, role, depts) in enumerate(AGENTS):
            if role == "admin":  # admins see everything but do not answer the demo's chats
                continue
            for d in (P.DEPARTMENTS if depts == "*" else depts):
                self.agents_by_dept[d].append(ai)

    # helpers
    def ago(self, max_days: float, min_days: float = 0.0) -> datetime:
        seconds = self.rng.uniform(min_days * 86400, max_days * 86400)
        return self.base - timedelta(seconds=int(seconds))

    def unique_login(self, first: str, last: str) -> str:
        f, l_ = _ascii(first).replace(" ", ""), _ascii(last).replace(" ", "")
        candidates = [f"{f}.{l_}", f"{f}{l_[:1]}", f"{f[:1]}{l_}"]
        for c in candidates:
            c = c[:60]
            if c not in self.logins:
                self.logins.add(c)
                return c
        n = 2
        while f"{f}{l_[:1]}{n}" in self.logins:
            n += 1
        login = f"{f}{l_[:1]}{n}"
        self.logins.add(login)
        return login

    def person(self) -> tuple[str, str]:
        return self.rng.choice(P.FIRST_NAMES), self.rng.choice(P.LAST_NAMES)

    def phone(self) -> str:
        r = self.rng
        fmt = r.choice(["+1 555-{a:03d}-{b:04d}", "+44 20 7946 {b:04d}", "+49 30 {a:03d} {b:04d}",
                        "+33 1 {a:03d} {b:04d}", "+420 {a:03d} {b:04d}", "+31 20 {a:03d} {b:04d}"])
        return fmt.format(a=r.randint(100, 999), b=r.randint(0, 9999))

    # ---- clients and everything that hangs off them

    def clients(self) -> dict[str, list[dict[str, Any]]]:
        r = self.rng
        out: dict[str, list[dict[str, Any]]] = {k: [] for k in (
            "clients", "users", "payments", "services", "expenses", "projects", "tickets", "posts")}
        for ci in range(self.n_clients):
            first, last = self.person()
            company = r.random() < 0.3
            name = (f"{r.choice(P.LAST_NAMES)} {r.choice(P.COMPANY_SUFFIXES)}" if company
                    else f"{first} {last}")
            domain = P.random_domain(r)
            project_name = domain if r.random() < 0.7 else domain.split(".")[0].capitalize()
            currency = r.choices(["USD", "EUR", "GBP"], [60, 30, 10])[0]
            status = r.choices(["active", "suspended", "closed"], [88, 8, 4])[0]
            balance = _money(r.choice([0.0, 0.0, r.uniform(1, 250), r.uniform(1, 60), -r.uniform(1, 90)]))
            created = self.ago(3000, 20)
            email_local = _ascii(f"{first}.{last}").replace(" ", "")
            email = (f"{email_local}@{domain}" if r.random() < 0.5
                     else f"{email_local}{r.randint(1, 99)}@{r.choice(P.MAIL_PROVIDERS)}")
            dept = r.choices(range(len(self.dept_names)), CLIENT_DEPARTMENT_WEIGHTS)[0]
            out["clients"].append(dict(
                name=name, email=email, phone=self.phone() if r.random() < 0.85 else "",
                project_name=project_name, _department=dept, balance=balance, currency=currency,
                status=status, created_at=created, version=1))

            # login users
            for ui in range(r.choices([1, 2, 3], [70, 22, 8])[0]):
                uf, ul = (first, last) if ui == 0 else self.person()
                login = self.unique_login(uf, ul)
                out["users"].append(dict(
                    _client=ci, login=login,
                    email=email if ui == 0 else f"{login.replace('.', '')}@{domain}",
                    full_name=f"{uf} {ul}", password_hash="", enabled=r.random() < 0.95,
                    last_ip=P.random_ip(r) if r.random() < 0.9 else "", version=1))

            # services
            services = []
            for si in range(r.choices([1, 2, 3, 4, 5], [35, 30, 18, 10, 7])[0]):
                stype, _, names, (lo, hi) = r.choices(SERVICE_TYPES, [t[1] for t in SERVICE_TYPES])[0]
                sdomain = domain if si == 0 or r.random() < 0.5 else P.random_domain(r)
                ip = P.random_ip(r) if stype in ("hosting", "vps", "dedicated") else ""
                price = _money(r.uniform(lo, hi)) if not (stype == "ssl" and r.random() < 0.5) else _money(0)
                expires = self.base + timedelta(days=r.randint(-90, 400), hours=r.randint(0, 23))
                sstatus = ("suspended" if expires < self.base and r.random() < 0.7 else
                           r.choices(["active", "pending", "deleted"], [92, 4, 4])[0])
                if status == "closed":
                    sstatus = "deleted"
                sname = f"{r.choice(names)} {sdomain}" if stype in ("domain", "ssl") else r.choice(names)
                services.append((stype, price))
                out["services"].append(dict(
                    _client=ci, name=sname, type=stype, domain=sdomain, ip=ip, price=price,
                    currency=currency, status=sstatus, expires_at=expires, version=1))

            # payments
            for _ in range(r.choices([0, 1, 2, 3, 4, 6, 8], [8, 15, 20, 20, 17, 12, 8])[0]):
                self.payment_no += 1
                created_p = self.ago(min(900, (self.base - created).days + 1))
                pstatus = r.choices(["paid", "new", "cancelled", "refunded"], [80, 10, 6, 4])[0]
                stype, price = r.choice(services)
                amount = price * r.choice([1, 1, 3, 6, 12]) if price else _money(r.uniform(5, 50))
                out["payments"].append(dict(
                    _client=ci, number=f"PAY-{self.payment_no:06d}", amount=amount, currency=currency,
                    status=pstatus, method=r.choice(P.PAYMENT_METHODS),
                    note="" if r.random() < 0.85 else r.choice(
                        ["Renewal", "Upgrade", "Balance top-up", "Manual correction"]),
                    created_at=created_p,
                    paid_at=(created_p + timedelta(minutes=r.randint(1, 4000))
                             if pstatus in ("paid", "refunded") else None),
                    version=1))

            # expenses
            for _ in range(r.choices([0, 1, 2, 3, 4], [40, 25, 18, 10, 7])[0]):
                desc, lo, hi = r.choice(P.EXPENSES)
                out["expenses"].append(dict(
                    _client=ci, description=desc, amount=_money(r.uniform(lo, hi)), currency=currency,
                    created_at=self.ago(700)))

            # projects
            for pi in range(r.choices([0, 1, 2, 3], [25, 50, 18, 7])[0]):
                pname = project_name if pi == 0 else f"{r.choice(P.PROJECT_KINDS)} ({P.random_domain(r)})"
                out["projects"].append(dict(_client=ci, name=pname, enabled=r.random() < 0.85, version=1))

            # tickets
            for _ in range(r.choices([0, 1, 2, 3], [45, 35, 14, 6])[0]):
                self.ticket(out, ci, domain, f"{first} {last}")
        return out

    def ticket(self, out: dict[str, list[dict[str, Any]]], ci: int, domain: str, client_name: str) -> None:
        r = self.rng
        dept = r.choices(range(len(self.dept_names)), [10, 55, 25, 10])[0]
        dname = self.dept_names[dept]
        created = self.ago(400)
        status = r.choices(["new", "in_progress", "waiting", "closed"], [12, 18, 15, 55])[0]
        assignee = None if status == "new" else r.choice(self.agents_by_dept[dname])
        subject = r.choice(P.TICKET_SUBJECTS[dname])
        if r.random() < 0.4:
            subject = f"{subject} ({domain})"
        tix = len(out["tickets"])
        n_posts = 1 if status == "new" else r.randint(2, 7)
        t = created
        for pi in range(n_posts):
            if pi == 0:
                kind = "client"
            else:
                kind = r.choices(["client", "staff", "note"], [35, 45, 20])[0]
            t = t + timedelta(minutes=r.randint(3, 900))
            if kind == "client":
                author, agent_id, text = client_name, None, r.choice(P.TICKET_CLIENT_POSTS)
                if pi == 0:
                    text = f"{subject}\n\n{text}"
            else:
                agent_i = assignee if assignee is not None else r.choice(self.agents_by_dept[dname])
                author, agent_id = AGENTS[agent_i][1], agent_i
                text = r.choice(P.TICKET_STAFF_POSTS if kind == "staff" else P.TICKET_NOTES)
            out["posts"].append(dict(
                _ticket=tix, kind=kind, author_name=author, _agent=agent_id, text=text,
                client_msg_id=None, created_at=t))
        out["tickets"].append(dict(
            _client=ci, subject=subject[:200], _department=dept,
            priority=r.choices(["low", "normal", "high", "urgent"], [15, 60, 20, 5])[0],
            status=status, _assignee=assignee, created_at=created, updated_at=t, version=1))

    # ---- chat history

    def chats(self, n_chats: int, client_rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        r = self.rng
        out: dict[str, list[dict[str, Any]]] = {"visitors": [], "chats": [], "messages": []}
        visitor_ids: list[tuple[str, int | None, str]] = []  # id, client index, name
        for ci in range(n_chats):
            if visitor_ids and r.random() < 0.25:  # a returning visitor (same browser cookie)
                vid, client_i, vname = r.choice(visitor_ids)
            else:
                vid = str(uuid.UUID(int=r.getrandbits(128), version=4))
                client_i = r.randrange(len(client_rows)) if client_rows and r.random() < 0.35 else None
                if client_i is not None:
                    vname = client_rows[client_i]["name"]
                else:
                    first, last = self.person()
                    vname = r.choice([first, f"{first} {last}", "Visitor"])  # the server's default
                token_hash = hashlib.sha256(r.getrandbits(256).to_bytes(32, "big")).hexdigest()
                first_seen = self.ago(60, 31)
                out["visitors"].append(dict(
                    id=vid, token_hash=token_hash, first_seen=first_seen, last_seen=first_seen,
                    _client=client_i))
                visitor_ids.append((vid, client_i, vname))
            dname, question, followups, answers = r.choice(P.DIALOGUES)
            dept = self.dept_names.index(dname)
            assignee = r.choice(self.agents_by_dept[dname])
            agent_name = AGENTS[assignee][1]
            domain = (client_rows[client_i]["project_name"] if client_i is not None
                      and "." in client_rows[client_i]["project_name"] else P.random_domain(r))
            ip = P.random_ip(r)
            invoice = f"INV-{r.randint(10000, 99999)}"

            def fill(text: str) -> str:
                return P.fill(text, r, domain=domain, ip=ip, invoice=invoice)

            lines: list[tuple[str, str]] = [("visitor", fill(question))]
            fu, an = list(followups), list(answers)
            while fu or an:
                if an and (not fu or r.random() < 0.55):
                    lines.append(("agent", fill(an.pop(0))))
                else:
                    lines.append(("visitor", fill(fu.pop(0))))
            if r.random() < 0.6:
                lines.append(("visitor", r.choice(P.VISITOR_GOODBYES) or "Thanks!"))
            created = self.ago(30, 0.05)
            t = created
            for seq, (kind, text) in enumerate(lines, start=1):
                t += timedelta(seconds=r.randint(8, 240))
                out["messages"].append(dict(
                    _chat=ci, seq=seq, author_kind=kind,
                    _agent=assignee if kind == "agent" else None,
                    author_name=agent_name if kind == "agent" else vname,
                    text=text, client_msg_id=f"{'v' if kind == 'visitor' else 'a'}-{seq}",
                    created_at=t))
            closed = t + timedelta(seconds=r.randint(30, 600))
            page, title = r.choice(P.PAGES)
            lang, tz = r.choice(P.LANGUAGES)
            client_id_i = client_i if (client_i is not None and r.random() < 0.7) else None
            out["chats"].append(dict(
                visitor_id=vid, visitor_name=vname, _client=client_id_i, _department=dept,
                _assignee=assignee, state="closed",
                name="" if r.random() < 0.6 else lines[0][1].split(",")[0].rstrip(".?!")[:60],
                summary="" if r.random() < 0.7 else f"{dname}: resolved by {agent_name}.",
                forwarded_from_department_id=None, forwarded_by_agent_id=None, forward_comment="",
                forward_deadline=None, created_at=created, updated_at=closed, waiting_since=None,
                closed_at=closed, last_message_at=t, last_message_preview=lines[-1][1][:200],
                message_count=len(lines), ip=P.random_ip(r), page_url=P.SITE + page,
                page_title=title, referrer=r.choice(P.REFERRERS), user_agent=r.choice(P.USER_AGENTS),
                language=lang, timezone_offset_minutes=tz, version=1))
        return out


async def _insert(session: AsyncSession, model: type, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert with explicit ids (continuing after the table's current maximum) and return
    them in row order. Core executemany on the table: the ORM bulk path splits batches by which
    values are None, and RETURNING in parameter order degrades to one row per statement on SQLite."""
    conn = await session.connection()
    table = model.__table__
    ids: list[int] = []
    if "id" in table.c and table.c.id.type.python_type is int:
        start = (await conn.scalar(select(func.coalesce(func.max(table.c.id), 0)))) + 1
        ids = list(range(start, start + len(rows)))
        rows = [dict(row, id=i) for row, i in zip(rows, ids)]
    for i in range(0, len(rows), CHUNK):
        await conn.execute(insert(table), rows[i:i + CHUNK])
    return ids


async def _fix_sequences(session: AsyncSession, models: Sequence[type]) -> None:
    """PostgreSQL: move each id sequence past the explicit ids we inserted."""
    conn = await session.connection()
    if conn.dialect.name != "postgresql":
        return
    for model in models:
        name = model.__tablename__
        await conn.execute(sql_text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))


def _resolve(rows: list[dict[str, Any]], **maps: tuple[str, list[int]]) -> list[dict[str, Any]]:
    """Replace index fields (``_client`` ...) with ids: maps = {'_client': ('client_id', ids)}."""
    out = []
    for row in rows:
        row = dict(row)
        for key, (column, ids) in maps.items():
            idx = row.pop(key)
            row[column] = None if idx is None else ids[idx]
        out.append(row)
    return out


async def seed_demo(sessionmaker: async_sessionmaker[AsyncSession], *, clients: int = 2000,
                    seed: int = 1, base: datetime | None = None) -> bool:
    """Fill an empty database with the demo data set. ``False`` (and nothing done) if not empty."""
    started = time.perf_counter()
    base = base or default_base()
    async with sessionmaker() as session:
        async with session.begin():
            for model in (Department, Agent, Client):
                if await session.scalar(select(func.count()).select_from(model)):
                    log.info("demo data not seeded: the database already has %s", model.__tablename__)
                    return False

            password_hash = PasswordHasher().hash(DEMO_PASSWORD)  # once, shared by every demo user
            gen = _Generator(seed, base, clients)

            dept_ids = await _insert(session, Department, [
                dict(name=name, accepts_forwards=True) for name in P.DEPARTMENTS])
            dept_by_name = dict(zip(P.DEPARTMENTS, dept_ids))

            agent_rows, links = [], []
            for ai, (login, display, role, depts) in enumerate(AGENTS):
                links.append(P.DEPARTMENTS if depts == "*" else list(depts))
                agent_rows.append(dict(
                    login=login, display_name=display, avatar_url=None, role=role,
                    password_hash=password_hash, status="offline",
                    status_changed_at=base - timedelta(hours=ai + 1), enabled=True,
                    can_edit_payments=role in ("head", "admin"), can_edit_services=role in ("head", "admin"),
                    created_at=base - timedelta(days=400 - ai * 20)))
            agent_ids = await _insert(session, Agent, agent_rows)
            await _insert(session, AgentDepartment, [
                dict(agent_id=agent_ids[ai], department_id=dept_by_name[d])
                for ai, names in enumerate(links) for d in names])

            data = gen.clients()
            client_ids = await _insert(session, Client, _resolve(
                data["clients"], _department=("department_id", dept_ids)))
            for row in data["users"]:
                row["password_hash"] = password_hash
            await _insert(session, ClientUser, _resolve(data["users"], _client=("client_id", client_ids)))
            for key, model in (("payments", Payment), ("services", Service), ("expenses", Expense),
                               ("projects", Project)):
                await _insert(session, model, _resolve(data[key], _client=("client_id", client_ids)))
            ticket_ids = await _insert(session, Ticket, _resolve(
                data["tickets"], _client=("client_id", client_ids),
                _department=("department_id", dept_ids), _assignee=("assignee_id", agent_ids)))
            await _insert(session, TicketPost, _resolve(
                data["posts"], _ticket=("ticket_id", ticket_ids), _agent=("author_agent_id", agent_ids)))

            n_chats = max(30, min(600, clients // 5))
            history = gen.chats(n_chats, data["clients"])
            await _insert(session, Visitor, _resolve(history["visitors"], _client=("client_id", client_ids)))
            chat_ids = await _insert(session, Chat, _resolve(
                history["chats"], _client=("client_id", client_ids),
                _department=("department_id", dept_ids), _assignee=("assignee_id", agent_ids)))
            await _insert(session, ChatMessage, _resolve(
                history["messages"], _chat=("chat_id", chat_ids), _agent=("author_agent_id", agent_ids)))

            agent_by_login = {a[0]: agent_ids[i] for i, a in enumerate(AGENTS)}
            reply_rows = []
            for ri, (title, text, scope, who, chat_only) in enumerate(REPLIES):
                if scope == "department":
                    dept_id, owner = dept_by_name[who], agent_ids[gen.agents_by_dept[who][0]]
                else:
                    dept_id, owner = None, agent_by_login[who]
                reply_rows.append(dict(title=title, text=text, scope=scope, department_id=dept_id,
                                       owner_id=owner, chat_only=chat_only,
                                       created_at=base - timedelta(days=90 - ri), version=1))
            await _insert(session, PredefinedReply, reply_rows)
            await _insert(session, ChangelogEntry, [
                dict(version=v, published_at=base - timedelta(days=days), title=title, body=body)
                for v, days, title, body in CHANGELOG])
            await _fix_sequences(session, SEEDED_WITH_IDS)

    log.info("demo data seeded: %d clients, %d tickets, %d chats in %.1f s", clients,
             len(data["tickets"]), n_chats, time.perf_counter() - started)
    return True


__all__ = ["seed_demo", "default_base", "AGENTS"]
