"""Settings fail closed: production unless told otherwise, and no public development secret in production."""
import re

import pytest

from shared.config import DEV_SECRET, ConfigError, Settings

pytestmark = pytest.mark.unit

PRODUCTION = {
    "TUIJU_SECRET_KEY": "a-long-random-secret-for-production-1234567890",
    "TUIJU_S3_SECRET_KEY": "another-long-random-s3-secret",
    "TUIJU_POSTGRES_URL": "postgresql+psycopg://tuiju:Xy7-strong@db.internal:5432",
    "TUIJU_OIDC_SECRET_INTAKE": "a-client-secret-from-keycloak",
}


def refusal(env: dict) -> str:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env("intake", env)
    return str(raised.value)


def test_settings_without_tuiju_env_are_production():
    assert Settings.from_env("intake", PRODUCTION).env == "production"


def test_settings_without_tuiju_env_refuse_the_development_defaults_naming_each():
    message = refusal({})
    assert message.startswith("生产环境")
    assert "TUIJU_SECRET_KEY" in message and "TUIJU_S3_SECRET_KEY" in message and "TUIJU_POSTGRES_URL" in message
    assert "TUIJU_ENV=dev" in message


@pytest.mark.parametrize("name, value, named", [
    ("TUIJU_SECRET_KEY", DEV_SECRET, "TUIJU_SECRET_KEY"),
    ("TUIJU_SECRET_KEY", "short", "TUIJU_SECRET_KEY"),
    ("TUIJU_S3_SECRET_KEY", "tuiju-secret-key", "TUIJU_S3_SECRET_KEY"),
    ("TUIJU_S3_SECRET_KEY", "change-me", "TUIJU_S3_SECRET_KEY"),
    ("TUIJU_POSTGRES_URL", "postgresql+psycopg://tuiju:tuiju@db:5432", "TUIJU_POSTGRES_URL"),
    ("TUIJU_DATABASE_URL", "postgresql+psycopg://tuiju:change-me@db:5432/tuiju_intake", "TUIJU_DATABASE_URL"),
    ("TUIJU_OIDC_SECRET_INTAKE", "tuiju-dev-intake-secret", "TUIJU_OIDC_SECRET_INTAKE"),
])
def test_production_refuses_a_known_development_secret(name, value, named):
    assert named in refusal({**PRODUCTION, name: value})


@pytest.mark.parametrize("mode", ["dev", "test"])
def test_development_and_tests_start_with_the_devstack_defaults(mode):
    settings = Settings.from_env("intake", {"TUIJU_ENV": mode})
    assert settings.secret_key == DEV_SECRET and settings.env == mode


def test_an_unknown_mode_is_refused_rather_than_guessed():
    assert "TUIJU_ENV='prod'" in refusal({**PRODUCTION, "TUIJU_ENV": "prod"})


def test_kafka_durability_is_one_replica_on_one_machine_and_what_the_environment_says_elsewhere():
    from shared.messaging.admin import Durability

    assert Durability.from_settings(Settings.from_env("intake", {"TUIJU_ENV": "test"})) == Durability(1, 1)
    three = Settings.from_env("intake", {"TUIJU_ENV": "test", "TUIJU_KAFKA_REPLICATION_FACTOR": "3",
                                         "TUIJU_KAFKA_MIN_INSYNC_REPLICAS": "2"})
    assert Durability.from_settings(three) == Durability(3, 2)


@pytest.mark.parametrize("factor, min_insync, named", [
    ("1", "2", "TUIJU_KAFKA_MIN_INSYNC_REPLICAS (2) 不能大于"), ("0", "1", "TUIJU_KAFKA_REPLICATION_FACTOR='0'"),
    ("three", "2", "TUIJU_KAFKA_REPLICATION_FACTOR='three'"),
])
def test_kafka_durability_that_could_never_acknowledge_a_write_is_refused(factor, min_insync, named):
    with pytest.raises(ConfigError, match=re.escape(named)):
        Settings.from_env("intake", {"TUIJU_ENV": "test", "TUIJU_KAFKA_REPLICATION_FACTOR": factor,
                                     "TUIJU_KAFKA_MIN_INSYNC_REPLICAS": min_insync})


@pytest.mark.parametrize("value, endpoint, secure", [
    ("", "127.0.0.1:9000", False),
    ("localhost:9000", "localhost:9000", False),
    ("https://files.example.org", "files.example.org", True),
    ("http://127.0.0.2:19000/", "127.0.0.2:19000", False),
])
def test_s3_public_endpoint_is_where_browser_links_are_signed_for(value, endpoint, secure):
    from shared.storage import browser_endpoint

    settings = Settings.from_env("review", {"TUIJU_ENV": "test", "TUIJU_S3_PUBLIC_ENDPOINT": value})
    assert (browser_endpoint(settings).host, browser_endpoint(settings).secure) == (endpoint, secure)


@pytest.mark.parametrize("value", ["https://files.example.org/s3", "ftp://files.example.org", "files:x",
                                   "https://user:pw@files.example.org", "https://files.example.org?x=1"])
def test_s3_public_endpoint_with_a_path_or_another_scheme_is_refused(value):
    with pytest.raises(ConfigError, match="TUIJU_S3_PUBLIC_ENDPOINT"):
        Settings.from_env("review", {"TUIJU_ENV": "test", "TUIJU_S3_PUBLIC_ENDPOINT": value})
