"""Client search and the client/ticket read endpoints against the demo data set, through the real
server: every search field, department visibility (404 outside), pagination."""

from __future__ import annotations

import httpx
import pytest

from tests.server.conftest import assert_no_server_errors


def _client(srv, login: str) -> httpx.Client:
    return httpx.Client(base_url=srv.api(""), timeout=15,
                        headers={"Authorization": f"Bearer {srv.login(login)}"})


@pytest.fixture(scope="module")
def demo(shared_server):
    yield shared_server
    assert_no_server_errors(shared_server)


@pytest.fixture(scope="module")
def dana(demo):
    with _client(demo, "demo") as c:   # department head in every department
        yield c


@pytest.fixture(scope="module")
def sam(demo):
    with _client(demo, "sam") as c:    # agent in Sales only
        yield c


@pytest.fixture(scope="module")
def sample(dana):
    """One client with a service, a payment, a user and a ticket, found through the API."""
    for cid in range(1, 60):
        services = dana.get(f"/clients/{cid}/services").json()["items"]
        payments = dana.get(f"/clients/{cid}/payments").json()["items"]
        tickets = dana.get(f"/clients/{cid}/tickets").json()["items"]
        users = dana.get(f"/clients/{cid}/users").json()["items"]
        with_domain = [s for s in services if s["domain"]]
        with_ip = [s for s in services if s["ip"]]
        if with_domain and with_ip and payments and tickets and users:
            return dict(client=dana.get(f"/clients/{cid}").json(), domain=with_domain[0],
                        ip=with_ip[0], payment=payments[0], ticket=tickets[0], user=users[0])
    pytest.fail("the demo data set has no client with every kind of record")


def _search(c: httpx.Client, q: str) -> list[dict]:
    r = c.get("/clients/search", params={"q": q})
    assert r.status_code == 200, r.text
    return r.json()["items"]


@pytest.mark.parametrize("field", ["client_id", "service_id", "ticket_id", "payment_number",
                                   "email", "login", "domain", "ip", "phone", "name"])
def test_search_finds_the_client_by_each_field(dana, sample, field):
    client = sample["client"]
    query = {
        "client_id": str(client["id"]),
        "service_id": str(sample["domain"]["id"]),
        "ticket_id": str(sample["ticket"]["id"]),
        "payment_number": sample["payment"]["number"].lower(),
        "email": client["email"].upper(),
        "login": sample["user"]["login"],
        "domain": sample["domain"]["domain"],
        "ip": sample["ip"]["ip"],
        "phone": "".join(ch for ch in client["phone"] if ch.isdigit())[-7:],
        "name": client["name"].split()[0][:4],
    }[field]
    hits = _search(dana, query)
    mine = [h for h in hits if h["client"]["id"] == client["id"]]
    assert mine, f"{field} query {query!r} did not find client {client['id']}: {hits[:3]}"
    if field not in ("phone", "name", "email", "login"):   # several fields may share a prefix
        assert mine[0]["matched_field"] == field


def test_search_validates_the_query(dana):
    r = dana.get("/clients/search", params={"q": ""})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    r = dana.get("/clients/search", params={"q": "x" * 201})
    assert r.status_code == 422
    assert _search(dana, "%_%") == [] or all("%" in h["matched_value"] or "_" in h["matched_value"]
                                             for h in _search(dana, "%_%"))


def test_client_lists_paginate(dana, sample):
    cid = sample["client"]["id"]
    full = dana.get(f"/clients/{cid}/payments", params={"limit": 500}).json()
    assert full["total"] == len(full["items"]) >= 1
    first = dana.get(f"/clients/{cid}/payments", params={"limit": 1, "offset": 0}).json()
    assert first["limit"] == 1 and first["items"][0]["id"] == full["items"][0]["id"]
    assert dana.get(f"/clients/{cid}/payments", params={"limit": 0}).status_code == 422
    for kind in ("users", "services", "tickets", "expenses", "projects"):
        r = dana.get(f"/clients/{cid}/{kind}")
        assert r.status_code == 200, (kind, r.text)


def test_agent_sees_only_clients_of_its_departments(dana, sam):
    sales = {d["id"] for d in dana.get("/departments").json()["items"] if d["name"] == "Sales"}
    outside = None
    for cid in range(1, 60):
        hits = _search(dana, str(cid))
        visible_to_sam = sam.get(f"/clients/{cid}")
        if visible_to_sam.status_code == 404:
            outside = cid
            assert visible_to_sam.json()["code"] == "not_found"
            assert sam.get(f"/clients/{cid}/payments").status_code == 404
            assert all(h["client"]["id"] != cid for h in _search(sam, str(cid)))
            assert hits  # while the head of every department finds it
            break
    assert outside is not None and sales


def test_tickets_list_filters_and_thread(dana, sample):
    ticket = sample["ticket"]
    got = dana.get(f"/tickets/{ticket['id']}").json()
    assert got["subject"] == ticket["subject"]
    posts = dana.get(f"/tickets/{ticket['id']}/posts").json()
    assert posts["items"] and {p["kind"] for p in posts["items"]} <= {"client", "staff", "note"}
    open_ = dana.get("/tickets", params={"status": "new", "limit": 20}).json()
    assert all(t["status"] == "new" for t in open_["items"])
    assert dana.get("/tickets", params={"status": "bogus"}).status_code == 422
    assert dana.get("/tickets/999999999").json()["code"] == "not_found"
