"""Alembic environment. Run through ``supportdesk_server.store.db.migrate()``, which hands over an
open connection in ``config.attributes["connection"]`` (works for SQLite and PostgreSQL alike)."""

from __future__ import annotations

from alembic import context

from supportdesk_server.store.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def _render_item(type_, obj, autogen_context):  # noqa: ANN001
    # Render our TypeDecorator-like DateTime as the plain SQL type; DDL is the same.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _include_name(name, type_, _parent_names):  # noqa: ANN001
    # the client search tables (migration 0002) are written by triggers, not part of models.py
    from supportdesk_server.services.search import is_search_table

    return not (type_ == "table" and is_search_table(name))


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through supportdesk_server.store.db.migrate()")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=_render_item,
        include_name=_include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
