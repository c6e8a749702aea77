import pytest


@pytest.fixture(scope="session")
def stack():
    """Environment of the running test devstack (real Kafka, S3, Redis, PostgreSQL, SMTP), set up once."""
    from shared.setup import set_up
    from tests.stack import ensure_stack_up

    env = ensure_stack_up()
    set_up(env)
    return env
