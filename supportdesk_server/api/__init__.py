"""REST routers under ``/api/v1``. Shared pieces (session, current agent, visibility, paging,
errors) live in ``deps.py`` so a new router is one file plus one line in ``routers()``."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from supportdesk_server.api import agents, auth, chats, info, misc, visitor

    out = [info.router, auth.router, agents.router, chats.router, misc.router, visitor.router]
    from supportdesk_server.api import client_area

    out.append(client_area.router)            # chat authorization, history, client area
    from supportdesk_server.api import admin_agents, admin_audit, admin_me

    out += [admin_me.router, admin_agents.router, admin_audit.router]   # administration
    for optional in ("clients", "tickets"):   # added by other parts of the project
        try:
            module = __import__(f"supportdesk_server.api.{optional}", fromlist=["router"])
        except ModuleNotFoundError as exc:
            if exc.name != f"supportdesk_server.api.{optional}":
                raise
            continue
        out.append(module.router)
    return out
