"""create ledger

Revision ID: 3f1c2a9b7d10
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "3f1c2a9b7d10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_ledger_entries_booked_on"), "ledger_entries", ["booked_on"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_ledger_entries_booked_on"), table_name="ledger_entries")
    op.drop_table("ledger_entries")
