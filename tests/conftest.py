import pytest


def pytest_collection_modifyitems(config, items):
    """The chaos suite (tests/chaos) runs only when asked for by its marker (`make chaos`)."""
    if "chaos" in (config.option.markexpr or "") and "not chaos" not in config.option.markexpr:
        return
    kept = [item for item in items if item.get_closest_marker("chaos") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("chaos")])
        items[:] = kept


@pytest.fixture(scope="session")
def stack():
    """Environment of the running test devstack (real Kafka, S3, Redis, PostgreSQL, SMTP), set up once."""
    from shared.setup import set_up
    from tests.stack import ensure_stack_up

    env = ensure_stack_up()
    set_up(env)
    return env
