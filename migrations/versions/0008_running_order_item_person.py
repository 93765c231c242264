"""running-order item people: who is on stage at one item (an award's presenter, an intro's host)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-13

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "running_order_item_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["running_order_item.id"],
            name=op.f("fk_running_order_item_person_item_id_running_order_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_running_order_item_person_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_running_order_item_person")),
        sa.UniqueConstraint(
            "item_id", "person_id", "role", name=op.f("uq_running_order_item_person_item_id_person_id_role")
        ),
    )
    with op.batch_alter_table("running_order_item_person") as batch:
        batch.create_index(batch.f("ix_running_order_item_person_item_id"), ["item_id"], unique=False)
        batch.create_index(batch.f("ix_running_order_item_person_person_id"), ["person_id"], unique=False)


def downgrade():
    with op.batch_alter_table("running_order_item_person") as batch:
        batch.drop_index(batch.f("ix_running_order_item_person_person_id"))
        batch.drop_index(batch.f("ix_running_order_item_person_item_id"))
    op.drop_table("running_order_item_person")
