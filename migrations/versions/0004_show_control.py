"""show control: live shows, the as-run log, cue modes and hard starts, staff API tokens

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_api_token_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "show",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("rehearsal", sa.Boolean(), nullable=False),
        sa.Column("run", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Integer(), nullable=True),
        sa.Column("cue_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cue_ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_seconds", sa.Float(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.Column("holder_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.Column("message_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("state IN ('standby', 'running', 'paused', 'ended')", name=op.f("ck_show_state")),
        sa.ForeignKeyConstraint(
            ["cue_id"], ["running_order_item.id"], name=op.f("fk_show_cue_id_running_order_item"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["holder_id"], ["user.id"], name=op.f("fk_show_holder_id_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["schedule_session.id"],
            name=op.f("fk_show_session_id_schedule_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_show")),
    )
    with op.batch_alter_table("show", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_show_session_id"), ["session_id"], unique=True)

    op.create_table(
        "cue_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("run", sa.Integer(), nullable=False),
        sa.Column("rehearsal", sa.Boolean(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("planned_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("planned_seconds", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("how", sa.String(length=8), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["running_order_item.id"],
            name=op.f("fk_cue_run_item_id_running_order_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"], name=op.f("fk_cue_run_show_id_show"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["user.id"], name=op.f("fk_cue_run_started_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cue_run")),
    )
    with op.batch_alter_table("cue_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cue_run_show_id"), ["show_id"], unique=False)

    with op.batch_alter_table("running_order_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cue_mode", sa.String(length=8), nullable=False, server_default="manual"))
        batch_op.add_column(sa.Column("hard_start_at", sa.DateTime(timezone=True), nullable=True))
    # films already in a running order follow the cue before them; everything else waits for GO
    op.execute("UPDATE running_order_item SET cue_mode = 'follow' WHERE kind = 'film'")


def downgrade():
    with op.batch_alter_table("running_order_item", schema=None) as batch_op:
        batch_op.drop_column("hard_start_at")
        batch_op.drop_column("cue_mode")

    with op.batch_alter_table("cue_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cue_run_show_id"))

    op.drop_table("cue_run")
    with op.batch_alter_table("show", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_show_session_id"))

    op.drop_table("show")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
