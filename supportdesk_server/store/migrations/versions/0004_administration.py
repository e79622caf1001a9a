"""Administration and account security (docs/administration.md): department flags, working
hours and offline form; agent one-time passwords, invitations and TOTP; session address, last use
and scope; recovery codes; web sites (the live widget origin list); server settings; the audit
log's address and user agent.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('departments') as b:
        b.add_column(sa.Column('archived', sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column('shown_in_widget', sa.Boolean(), nullable=False,
                               server_default=sa.true()))
        b.add_column(sa.Column('working_hours', sa.JSON(), nullable=True))
        b.add_column(sa.Column('offline_form', sa.JSON(), nullable=True))
    with op.batch_alter_table('agents') as b:
        b.add_column(sa.Column('last_seen_at', UTC, nullable=True))
        b.add_column(sa.Column('password_change_required', sa.Boolean(), nullable=False,
                               server_default=sa.false()))
        b.add_column(sa.Column('invitation_hash', sa.String(64), nullable=True))
        b.add_column(sa.Column('invitation_expires_at', UTC, nullable=True))
        b.add_column(sa.Column('totp_secret', sa.String(64), nullable=True))
        b.add_column(sa.Column('totp_pending_secret', sa.String(64), nullable=True))
        b.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        b.create_unique_constraint('uq_agents_invitation_hash', ['invitation_hash'])
    with op.batch_alter_table('auth_tokens') as b:
        b.add_column(sa.Column('ip', sa.String(64), nullable=False, server_default=''))
        b.add_column(sa.Column('last_used_at', UTC, nullable=True))
        b.add_column(sa.Column('scope', sa.String(16), nullable=False, server_default='full'))
    with op.batch_alter_table('audit_log') as b:
        b.add_column(sa.Column('ip', sa.String(64), nullable=False, server_default=''))
        b.add_column(sa.Column('user_agent', sa.String(512), nullable=False, server_default=''))
    op.create_table(
        'recovery_codes',
        sa.Column('id', BigId, primary_key=True),
        sa.Column('agent_id', sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  sa.ForeignKey('agents.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('code_hash', sa.String(256), nullable=False),
        sa.Column('used_at', UTC, nullable=True))
    op.create_table(
        'sites',
        sa.Column('id', BigId, primary_key=True),
        sa.Column('origin', sa.String(300), nullable=False, unique=True),
        sa.Column('name', sa.String(200), nullable=False),
        sa.Column('created_at', UTC, nullable=False))
    op.create_table(
        'server_settings',
        sa.Column('key', sa.String(64), primary_key=True),
        sa.Column('value', sa.JSON(), nullable=False))


def downgrade() -> None:
    op.drop_table('server_settings')
    op.drop_table('sites')
    op.drop_table('recovery_codes')
    with op.batch_alter_table('audit_log') as b:
        b.drop_column('user_agent')
        b.drop_column('ip')
    with op.batch_alter_table('auth_tokens') as b:
        for c in ('scope', 'last_used_at', 'ip'):
            b.drop_column(c)
    with op.batch_alter_table('agents') as b:
        b.drop_constraint('uq_agents_invitation_hash', type_='unique')
        for c in ('totp_last_step', 'totp_pending_secret', 'totp_secret', 'invitation_expires_at',
                  'invitation_hash', 'password_change_required', 'last_seen_at'):
            b.drop_column(c)
    with op.batch_alter_table('departments') as b:
        for c in ('offline_form', 'working_hours', 'shown_in_widget', 'archived'):
            b.drop_column(c)
