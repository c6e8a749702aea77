from shared.db import run_alembic_env
from services.archive.adapters.orm import metadata

run_alembic_env(metadata)
