"""Settings: one frozen dataclass built from the environment, with one-machine defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "tuiju-dev-secret-not-for-production"

# Redis database numbers, so that each service's Celery queues and results stay apart.
REDIS_DB = {"intake": (0, 1), "notify": (2, 3), "review": (4, 5), "archive": (6, 7)}
RATE_LIMIT_REDIS_DB = 8


DEV_OIDC_ISSUER = "http://127.0.0.1:8080/realms/tuiju"


def dev_oidc_client_secret(service: str) -> str:
    """The client secret the devstack's realm gives tuiju-<service> (devstack/servers/keycloak.py)."""
    return f"tuiju-dev-{service}-secret"


class ConfigError(RuntimeError):
    pass


MODES = ("dev", "test", "production")
# What the devstack, the demo and the tests use: public, so never accepted in production.
DEV_DATABASE_PASSWORD = "tuiju"
DEV_S3_SECRET_KEY = "tuiju-secret-key"
PLACEHOLDER = "change-me"  # what the Kubernetes example leaves for an overlay to replace
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class Settings:
    service: str
    env: str
    database_url: str
    kafka_bootstrap: str
    s3_endpoint: str
    s3_access_key: str
    s3_secret_key: str
    s3_secure: bool
    redis_url: str
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_tls: bool
    mail_from: str
    secret_key: str
    phone_hash_secret: str  # keys the phone hashes of honouree records (HMAC); derived from secret_key if unset
    campaign_file: str
    demo: bool
    demo_anchor: str
    intake_url: str
    review_url: str
    notify_url: str
    archive_url: str
    oidc_issuer: str = ""          # the staff identity provider's realm, e.g. https://id.example.org/realms/tuiju
    oidc_metadata_url: str = ""    # where this process reads the provider's metadata when not under the issuer
    oidc_client_secret: str = ""   # this service's confidential client (tuiju-<service>)
    uploads_bucket: str = "tuiju-uploads"
    archive_bucket: str = "tuiju-archive"
    # Celery (shared/celery_app.py): seconds an unacknowledged task stays invisible before Redis hands it
    # out again; the scan task's first retry pause, doubling up to the maximum (below that timeout).
    celery_visibility_timeout: int = 300
    scan_retry_backoff: int = 2
    scan_retry_backoff_max: int = 60
    # A niced scan worker's scan waits while processes that are not niced keep this share of the CPU busy,
    # at most this many seconds (0: never; the worker keeps it under a quarter of the visibility timeout and 30 s)
    scan_yield_busy: float = 0.6
    scan_yield_seconds: float = 15
    # Every topic's replicas and min.insync.replicas (shared.setup): 1 and 1 on one machine, 3 and 2 with
    # three brokers, so that acks=all means the event is on two brokers before the relay marks it sent.
    kafka_replication_factor: int = 1
    kafka_min_insync_replicas: int = 1
    # Where browsers reach the S3 server, for the presigned links given to them (host:port; "" = s3_endpoint,
    # as on one machine), and the region those links are signed for (nothing inside can ask that address).
    s3_public_endpoint: str = ""
    s3_public_secure: bool = False
    s3_region: str = ""

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        get = lambda name, default="": env.get(f"TUIJU_{name}", default)  # noqa: E731
        mode = get("ENV", "production")
        if mode not in MODES:
            raise ConfigError(f"TUIJU_ENV={mode!r} 无效，应为 dev、test 或 production / "
                              f"TUIJU_ENV must be dev, test or production")
        development = mode in ("dev", "test")
        secret = get("SECRET_KEY", DEV_SECRET if development else "")
        postgres = get("POSTGRES_URL", f"postgresql+psycopg://tuiju:{DEV_DATABASE_PASSWORD}@127.0.0.1:5432")
        settings = cls(
            service=service,
            env=mode,
            database_url=get("DATABASE_URL", f"{postgres}/tuiju_{service}"),
            kafka_bootstrap=get("KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
            s3_endpoint=get("S3_ENDPOINT", "127.0.0.1:9000"),
            s3_access_key=get("S3_ACCESS_KEY", "tuiju"),
            s3_secret_key=get("S3_SECRET_KEY", DEV_S3_SECRET_KEY if development else ""),
            s3_secure=get("S3_SECURE", "0") == "1",
            redis_url=get("REDIS_URL", "redis://127.0.0.1:6379").rstrip("/"),
            smtp_host=get("SMTP_HOST", "127.0.0.1"),
            smtp_port=int(get("SMTP_PORT", "1025")),
            smtp_user=get("SMTP_USER"),
            smtp_password=get("SMTP_PASSWORD"),
            smtp_tls=get("SMTP_TLS", "0") == "1",
            mail_from=get("MAIL_FROM", "推举活动组委会 <noreply@tuiju.local>"),
            secret_key=secret,
            phone_hash_secret=get("PHONE_HASH_SECRET", f"{secret}/phone-hash"),
            campaign_file=get("CAMPAIGN_FILE", str(REPO_ROOT / "campaigns" / "2022-zuimei-houqin.yaml")),
            demo=get("DEMO", "0") == "1",
            demo_anchor=get("DEMO_ANCHOR"),
            intake_url=get("INTAKE_URL", "http://127.0.0.1:5001"),
            review_url=get("REVIEW_URL", "http://127.0.0.1:5002"),
            notify_url=get("NOTIFY_URL", "http://127.0.0.1:5003"),
            archive_url=get("ARCHIVE_URL", "http://127.0.0.1:5004"),
            archive_bucket=get("ARCHIVE_BUCKET", "tuiju-archive"),
            oidc_issuer=get("OIDC_ISSUER", DEV_OIDC_ISSUER if development else "").rstrip("/"),
            oidc_metadata_url=get("OIDC_METADATA_URL"),
            oidc_client_secret=get(f"OIDC_SECRET_{service.upper()}",
                                   dev_oidc_client_secret(service) if development else ""),
            celery_visibility_timeout=int(get("CELERY_VISIBILITY_TIMEOUT", "300")),
            scan_retry_backoff=int(get("SCAN_RETRY_BACKOFF", "2")),
            scan_retry_backoff_max=int(get("SCAN_RETRY_BACKOFF_MAX", "60")),
            scan_yield_busy=share_of_one(get, "SCAN_YIELD_BUSY", "0.6"),
            scan_yield_seconds=min(whole_number(get, "SCAN_YIELD_SECONDS", "15", least=0), 3600),
            kafka_replication_factor=whole_number(get, "KAFKA_REPLICATION_FACTOR", "1"),
            kafka_min_insync_replicas=whole_number(get, "KAFKA_MIN_INSYNC_REPLICAS", "1"),
            **s3_public_endpoint(get("S3_PUBLIC_ENDPOINT"), get("S3_SECURE", "0") == "1"),
            s3_region=get("S3_REGION"),
        )
        check_kafka_durability(settings)
        if not development:
            refuse_development_secrets(settings)
        return settings

    @property
    def public_url(self) -> str:
        """This service's own address as its users reach it."""
        return getattr(self, f"{self.service}_url", "")

    def celery_broker_url(self) -> str:
        return f"{self.redis_url}/{REDIS_DB[self.service][0]}"

    def celery_result_url(self) -> str:
        return f"{self.redis_url}/{REDIS_DB[self.service][1]}"

    def rate_limit_redis_url(self) -> str:
        return f"{self.redis_url}/{RATE_LIMIT_REDIS_DB}"


def whole_number(get, name: str, default: str, least: int = 1) -> int:
    value = get(name, default)
    if not value.isdigit() or int(value) < least:
        raise ConfigError(f"TUIJU_{name}={value!r} 应为不小于 {least} 的整数 / must be a whole number of at least {least}")
    return int(value)


def share_of_one(get, name: str, default: str) -> float:
    value = get(name, default)
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0 < share <= 1:
        raise ConfigError(f"TUIJU_{name}={value!r} 应为大于 0、不大于 1 的小数 / must be a fraction above 0, at most 1")
    return share


def s3_public_endpoint(value: str, secure: bool) -> dict:
    """TUIJU_S3_PUBLIC_ENDPOINT as `host:port` (with TUIJU_S3_SECURE's scheme) or `http(s)://host[:port]`."""
    if not value:
        return {}
    parts = urlsplit(value if "://" in value else f"{'https' if secure else 'http'}://{value}")
    if not _plain_origin(parts):
        raise ConfigError(f"TUIJU_S3_PUBLIC_ENDPOINT={value!r} 应为 host:port 或 https://host[:port]（不含路径）/ "
                          "must be host:port or https://host[:port], without a path")
    return {"s3_public_endpoint": parts.netloc, "s3_public_secure": parts.scheme == "https"}


def _plain_origin(parts) -> bool:
    try:
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number from 0 to 65535)
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and parts.path in ("", "/")
            and not (parts.query or parts.fragment or parts.username or parts.password))


def check_kafka_durability(settings: Settings) -> None:
    if settings.kafka_min_insync_replicas > settings.kafka_replication_factor:
        raise ConfigError(
            f"TUIJU_KAFKA_MIN_INSYNC_REPLICAS ({settings.kafka_min_insync_replicas}) 不能大于 "
            f"TUIJU_KAFKA_REPLICATION_FACTOR ({settings.kafka_replication_factor}) / cannot exceed the replication "
            "factor: no write could ever be acknowledged")


def development_secret_problems(settings: Settings) -> list[str]:
    """What in these settings is missing or known from the development setup (a public secret)."""
    from sqlalchemy.engine import make_url

    problems = []
    if not settings.secret_key:
        problems.append("TUIJU_SECRET_KEY 未设置 / is not set")
    elif settings.secret_key == DEV_SECRET or len(settings.secret_key) < MIN_SECRET_LENGTH:
        problems.append(f"TUIJU_SECRET_KEY 是开发用密钥或短于 {MIN_SECRET_LENGTH} 个字符 / "
                        f"is the development key or shorter than {MIN_SECRET_LENGTH} characters")
    if settings.s3_secret_key in ("", DEV_S3_SECRET_KEY, PLACEHOLDER):
        problems.append("TUIJU_S3_SECRET_KEY 未设置或是开发用、示例密钥 / is not set or is the development or example key")
    if make_url(settings.database_url).password in (DEV_DATABASE_PASSWORD, PLACEHOLDER):
        problems.append("数据库密码是开发用或示例密码（TUIJU_POSTGRES_URL 或 TUIJU_DATABASE_URL）/ the database "
                        "password is the development or example one (TUIJU_POSTGRES_URL or TUIJU_DATABASE_URL)")
    if settings.oidc_client_secret == dev_oidc_client_secret(settings.service):
        problems.append(f"TUIJU_OIDC_SECRET_{settings.service.upper()} 是开发用密钥 / is the development secret")
    return problems


def refuse_development_secrets(settings: Settings) -> None:
    problems = development_secret_problems(settings)
    if problems:
        raise ConfigError("生产环境（TUIJU_ENV=production，未设置时的默认值）拒绝启动 / production "
                          "(TUIJU_ENV=production, the default) refuses to start:\n  - " + "\n  - ".join(problems)
                          + "\n开发或测试请设置 TUIJU_ENV=dev 或 test / for development or tests set TUIJU_ENV=dev or test")
