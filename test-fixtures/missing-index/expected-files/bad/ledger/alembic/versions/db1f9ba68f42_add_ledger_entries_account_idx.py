"""add index ledger_entries_account_idx

Revision ID: db1f9ba68f42
Revises: 3f1c2a9b7d10
"""
from alembic import op

revision = "db1f9ba68f42"
down_revision = "3f1c2a9b7d10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ledger_entries_account_idx", "ledger_entries", ["account"])


def downgrade():
    op.drop_index("ledger_entries_account_idx", table_name="ledger_entries")
