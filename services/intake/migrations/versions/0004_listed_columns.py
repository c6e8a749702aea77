"""what the secretariat's list of nominations shows and searches, kept by PostgreSQL from each form

Revision ID: 0004_listed_columns
Revises: 0003_reference_numbers

Stored generated columns (name, unit, domain, and the lower-cased text searched), so listing and
counting 10,000 nominations reads short columns, not every form. 0001 builds its tables from the current
ORM metadata, so on an empty database they exist already when this runs: hence IF NOT EXISTS.
"""
from alembic import op

revision = "0004_listed_columns"
down_revision = "0003_reference_numbers"
branch_labels = None
depends_on = None

# The expressions as they were at this revision (a later change of the models is a revision of its own).
COLUMNS = {
    "listed_name": "CASE WHEN nominee_kind = 'team' THEN data #>> '{team,name}' ELSE data #>> '{person,name}' END",
    "listed_unit": "CASE WHEN nominee_kind = 'team' THEN data #>> '{team,unit}' ELSE data #>> '{person,unit}' END",
    "listed_domain": "data ->> 'domain'",
    "search_text": (
        "lower(coalesce(data #>> '{person,name}', '') || ' ' || "
        "coalesce(data #>> '{team,name}', '') || ' ' || "
        "coalesce(data #>> '{person,unit}', '') || ' ' || "
        "coalesce(data #>> '{team,unit}', '') || ' ' || "
        "coalesce(data #>> '{person,department}', '') || ' ' || "
        "coalesce(data #>> '{team,department}', '') || ' ' || "
        "coalesce(data #>> '{person,phone}', '') || ' ' || "
        "coalesce(data #>> '{person,email}', '') || ' ' || "
        "coalesce(data #>> '{team,leader,name}', '') || ' ' || "
        "coalesce(data #>> '{team,leader,phone}', '') || ' ' || "
        "coalesce(data #>> '{team,leader,email}', '') || ' ' || "
        "coalesce(data #>> '{contact,name}', '') || ' ' || "
        "coalesce(data #>> '{contact,phone}', '') || ' ' || "
        "coalesce(data #>> '{contact,email}', '') || ' ' || "
        "coalesce(data #>> '{recommender}', ''))"
    ),
}


def upgrade() -> None:
    for name, expression in COLUMNS.items():
        op.execute(f"ALTER TABLE nominations ADD COLUMN IF NOT EXISTS {name} TEXT "
                   f"GENERATED ALWAYS AS ({expression}) STORED")
    op.execute("CREATE INDEX IF NOT EXISTS nominations_listed "
               "ON nominations (campaign_id, submitted_at DESC NULLS LAST, reference_number DESC)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS nominations_listed")
    for name in COLUMNS:
        op.execute(f"ALTER TABLE nominations DROP COLUMN IF EXISTS {name}")
