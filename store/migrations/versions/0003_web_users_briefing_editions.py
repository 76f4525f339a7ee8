"""web users and briefing editions

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 20:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add the web UI's users and the briefing editions."""
    op.create_table('web_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('briefing_editions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=220), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('place', 'number', name='uq_briefing_editions_number')
    )
    with op.batch_alter_table('briefing_editions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefing_editions_place'), ['place'], unique=False)


def downgrade() -> None:
    """Drop the web UI's users and the briefing editions."""
    with op.batch_alter_table('briefing_editions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_briefing_editions_place'))
    op.drop_table('briefing_editions')
    op.drop_table('web_users')
