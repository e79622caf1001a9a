"""The read side of clients, tickets, replies and the change log: HttpBackend against the REAL
server (demo data, agent "demo"/"demo")."""

from __future__ import annotations

import pytest

from supportdesk_protocol.schemas import TicketPostKind, TicketStatus
from supportdesk_qt.backend.base import NetworkError, NotFound, ValidationFailed
from supportdesk_qt.backend.http import HttpBackend


@pytest.fixture
async def backend(shared_server):
    b = HttpBackend(shared_server.url)
    await b.login("demo", "demo")
    yield b
    await b.close()


async def _some_client(backend: HttpBackend):
    page = await backend.list_tickets(limit=100)
    ids = [t.client_id for t in page.items if t.client_id is not None]
    assert ids, "the demo data has tickets with clients"
    return await backend.get_client(ids[0])


async def test_search_by_id_email_and_name_says_which_field_matched(backend):
    client = await _some_client(backend)
    by_id = await backend.search_clients(str(client.id))
    assert any(h.client.id == client.id and h.matched_field == "client_id" for h in by_id.items)
    by_email = await backend.search_clients(client.email[:6].upper())
    hit = next(h for h in by_email.items if h.client.id == client.id)
    assert hit.matched_field == "email" and hit.matched_value.lower().startswith(
        client.email[:6].lower())
    word = client.name.split()[-1]
    by_name = await backend.search_clients(word)
    assert by_name.total == len(by_name.items) >= 1
    assert all(word.lower() in h.matched_value.lower() or h.matched_field != "name"
               for h in by_name.items)
    rec = backend.request_log[-1]
    assert rec.path.startswith("/clients/search?q=") and rec.status == 200


async def test_search_nothing_found_and_an_empty_query(backend):
    assert (await backend.search_clients("zz-no-such-client-zz")).items == []
    with pytest.raises(ValidationFailed) as info:
        await backend.search_clients("")
    assert info.value.message.endswith(".")


async def test_client_and_every_list_of_it(backend):
    client = await _some_client(backend)
    assert client.version >= 1 and client.currency
    for method in (backend.client_users, backend.client_payments, backend.client_services,
                   backend.client_tickets, backend.client_expenses, backend.client_projects):
        page = await method(client.id, offset=0, limit=500)
        assert page.offset == 0 and page.limit == 500
        assert page.total == len(page.items)
        assert all(item.client_id == client.id for item in page.items)
    tickets = await backend.client_tickets(client.id)
    assert tickets.total >= 1


async def test_paging_walks_the_whole_list_without_gaps(backend):
    full = await backend.list_tickets(limit=500)
    assert full.total > 5
    seen = []
    offset = 0
    while offset < full.total:
        page = await backend.list_tickets(offset=offset, limit=3)
        assert page.total == full.total and len(page.items) <= 3
        seen += [t.id for t in page.items]
        offset += len(page.items)
    assert seen == [t.id for t in full.items]


async def test_ticket_filters_ticket_and_its_posts(backend):
    closed = await backend.list_tickets(status=TicketStatus.CLOSED, limit=500)
    assert all(t.status == TicketStatus.CLOSED for t in closed.items)
    mine = await backend.list_tickets(mine=True, limit=500)
    assert all(t.assignee_id == backend.agent.id for t in mine.items)
    some = (await backend.list_tickets(limit=1)).items[0]
    by_dept = await backend.list_tickets(department_id=some.department_id, limit=500)
    assert by_dept.total >= 1 and all(t.department_id == some.department_id for t in by_dept.items)
    ticket = await backend.get_ticket(some.id)
    assert ticket.id == some.id and ticket.subject == some.subject
    posts = await backend.ticket_posts(ticket.id)
    assert posts.total >= 1
    assert posts.items[0].kind in set(TicketPostKind)
    times = [p.created_at for p in posts.items]
    assert times == sorted(times)        # oldest first


async def test_unknown_client_and_ticket_are_not_found_sentences(backend):
    for call in (backend.get_client(2**52), backend.get_ticket(2**52),
                 backend.client_payments(2**52), backend.ticket_posts(2**52)):
        with pytest.raises(NotFound) as info:
            await call
        assert info.value.status == 404 and info.value.message.endswith(".")


async def test_replies_for_tickets_leave_out_chat_only_ones(backend):
    every = await backend.replies(limit=500)
    for_tickets = await backend.replies("ticket", limit=500)
    assert every.total >= for_tickets.total
    assert not any(r.chat_only for r in for_tickets.items)
    assert {r.id for r in for_tickets.items} <= {r.id for r in every.items}


async def test_changelog_newest_first(backend):
    log = await backend.changelog()
    assert log.total >= 1
    dates = [e.published_at for e in log.items]
    assert dates == sorted(dates, reverse=True)


async def test_a_server_that_is_gone_is_a_network_error_sentence(shared_server):
    b = HttpBackend("http://127.0.0.1:9")
    b._t.token = "x"   # skip signing in: the request must fail on connect
    try:
        with pytest.raises(NetworkError) as info:
            await b.search_clients("abc")
        assert info.value.message.endswith(".")
        assert b.request_log[-1].status is None
    finally:
        await b.close()
