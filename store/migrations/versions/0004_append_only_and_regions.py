"""append-only audit log, decisions and status history; subscribers follow regions

Revision ID: 0004
Revises: 0003 (the web UI's revision; kept linear so `upgrade head` has one head)
Create Date: 2026-11-23 10:00:00

The audit log, the decisions and the status history are append-only in the code (no
repository function updates or deletes them); these triggers make the database refuse it
too, on SQLite and PostgreSQL. The `regions` column is added only when the initial schema
does not have it already (0001 may be regenerated from the models).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_TABLES = ("audit_log", "decisions", "status_changes")


def upgrade() -> None:
    bind = op.get_bind()
    columns = {c["name"] for c in sa.inspect(bind).get_columns("subscribers")}
    if "regions" not in columns:
        with op.batch_alter_table("subscribers") as batch_op:
            batch_op.add_column(
                sa.Column("regions", sa.JSON(), nullable=False, server_default="[]")
            )
    dialect = bind.dialect.name
    for table in APPEND_ONLY_TABLES:
        if dialect == "sqlite":
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{event.lower()} "
                    f"BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        elif dialect == "postgresql":
            op.execute(
                "CREATE OR REPLACE FUNCTION returnwatch_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ "
                "LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION returnwatch_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION returnwatch_append_only()"
            )


def downgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    for table in APPEND_ONLY_TABLES:
        if dialect == "sqlite":
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS returnwatch_append_only()")
