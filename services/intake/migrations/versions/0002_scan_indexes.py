"""scans at scale: the perceptual hash's four bands, indexed, and an index of pending uploads

Revision ID: 0002
Revises: 0001

0001 builds its tables from the current ORM metadata, so on an empty database the columns and indexes
below exist already when this runs: hence IF NOT EXISTS.
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BANDS = 4


def upgrade() -> None:
    for band in range(BANDS):
        op.execute(f"ALTER TABLE uploads ADD COLUMN IF NOT EXISTS phash_band{band} INTEGER")
        op.execute(f"CREATE INDEX IF NOT EXISTS uploads_phash_band{band} ON uploads (phash_band{band}) "
                   f"WHERE phash_band{band} IS NOT NULL")
    op.execute("CREATE INDEX IF NOT EXISTS uploads_pending ON uploads (created_at) WHERE status = 'pending'")
    # The hashes already recorded, for certificates and proofs: band n is hex digits 4n+1 to 4n+4.
    op.execute("UPDATE uploads SET " + ", ".join(
        f"phash_band{band} = ('x' || substr(phash, {4 * band + 1}, 4))::bit(16)::integer" for band in range(BANDS)
    ) + " WHERE phash IS NOT NULL AND kind IN ('certificate', 'media_proof')")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS uploads_pending")
    for band in range(BANDS):
        op.execute(f"DROP INDEX IF EXISTS uploads_phash_band{band}")
        op.execute(f"ALTER TABLE uploads DROP COLUMN IF EXISTS phash_band{band}")
