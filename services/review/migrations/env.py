from shared.db import run_alembic_env
from services.review.adapters.orm import metadata

run_alembic_env(metadata)
