from shared.db import run_alembic_env
from services.intake.adapters.orm import metadata

run_alembic_env(metadata)
