"""Keep the answer being typed with its session, so that a crash of the interview UI loses nothing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 23:23:00.219937
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('interview_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.String(), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('interview_session', schema=None) as batch_op:
        batch_op.drop_column('draft')

