"""public version: a counter of changes guests can see, which keys the ready guest pages

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    # No row yet: the first public change makes it (showcase.guests.public_version.bump); none reads as 0.
    op.create_table(
        "public_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_version")),
    )


def downgrade():
    op.drop_table("public_version")
