from shared.db import run_alembic_env
from services.notify.adapters.orm import metadata

run_alembic_env(metadata)
