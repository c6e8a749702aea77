"""the phone hashes of imported past honourees were bare SHA-256 (v1), from which anyone recovers the number
by trying every mobile number: they are dropped. Imports keep the phone as the keyed HMAC from now on (as
`honouree.recorded` v2 brings it); the rows stay and still match on name + unit. To match them on name +
phone again, import the list once more (or import it in the archive, which publishes it to intake). The
records from the archive's events (source 'event') are v2 already and stay as they are.

Revision ID: 0008_honouree_phone_hmac
Revises: 0007_campaign_stages
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_honouree_phone_hmac"
down_revision = "0007_campaign_stages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text("UPDATE honourees SET phone_hash = NULL WHERE source = 'import' AND phone_hash IS NOT NULL"))


def downgrade() -> None:
    pass  # a dropped hash cannot come back
