"""a short reference number for every nomination (申报编号), given by a sequence when it starts

Revision ID: 0003_reference_numbers
Revises: 0002

0001 builds its tables from the current ORM metadata, so on an empty database the sequence, the column
and its unique index exist already when this runs: hence IF NOT EXISTS. Nominations already stored are
numbered in the order they were started.
"""
from alembic import op

revision = "0003_reference_numbers"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE IF NOT EXISTS nomination_reference_seq")
    op.execute("ALTER TABLE nominations ADD COLUMN IF NOT EXISTS reference_number BIGINT")
    op.execute("""
        UPDATE nominations SET reference_number = numbered.number
        FROM (SELECT id, nextval('nomination_reference_seq') AS number
              FROM (SELECT id FROM nominations WHERE reference_number IS NULL ORDER BY created_at, id) AS waiting
             ) AS numbered
        WHERE nominations.id = numbered.id""")
    op.execute("ALTER TABLE nominations ALTER COLUMN reference_number SET DEFAULT nextval('nomination_reference_seq')")
    op.execute("ALTER TABLE nominations ALTER COLUMN reference_number SET NOT NULL")
    op.execute("ALTER SEQUENCE nomination_reference_seq OWNED BY nominations.reference_number")
    op.execute("CREATE UNIQUE INDEX IF NOT EXISTS nominations_reference_number_key ON nominations (reference_number)")


def downgrade() -> None:
    op.execute("ALTER TABLE nominations DROP COLUMN IF EXISTS reference_number")
    op.execute("DROP SEQUENCE IF EXISTS nomination_reference_seq")
