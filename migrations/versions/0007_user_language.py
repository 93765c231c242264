"""user language: the staff interface language chosen by each account ('zh', 'en', none = the browser's)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-12

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.drop_column("language")
