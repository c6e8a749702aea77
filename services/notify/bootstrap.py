"""Wiring for the notify service: everything that connects, in one place, called at start."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Mapping

import sqlalchemy as sa
from celery import Celery
from sqlalchemy.orm import sessionmaker

from services.notify.adapters.channels import Channels
from services.notify.adapters.mail import SmtpMailer
from services.notify.adapters.orm import template_overrides
from services.notify.adapters.ratelimit import Rate, RedisRateLimiter
from services.notify.adapters.sms import HttpSmsProvider, SinkSmsProvider, SmsProvider
from services.notify.config import NotifyOptions
from services.notify.domain.templates import MessageTemplates, template_file
from shared.celery_app import make_celery
from shared.config import Settings
from shared.db import make_engine, make_session_factory
from shared.logs import log_fields

log = logging.getLogger(__name__)
DELIVER_TASK = "notify.deliver_message"


@dataclass
class Notify:
    settings: Settings
    options: NotifyOptions
    engine: sa.Engine
    sessions: sessionmaker
    templates: MessageTemplates
    channels: Channels
    limiter: RedisRateLimiter
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc))
    _celery: Celery | None = None
    _overrides_version: tuple | None = field(default=None, repr=False)

    @property
    def celery(self) -> Celery:
        """The Celery app the consumer and the web app queue delivery tasks with (made on first use)."""
        if self._celery is None:
            self._celery = make_celery(self.settings, include=[])
        return self._celery

    def use_celery(self, app: Celery) -> None:
        self._celery = app

    def queue_delivery(self, message_ids: list[str], countdown: float = 0) -> None:
        """Queue one delivery task a message. A broker that is away is logged, not raised: the messages
        are recorded as pending and the sweeper queues them again."""
        for message_id in message_ids:
            try:
                self.celery.send_task(DELIVER_TASK, kwargs={"message_id": message_id},
                                      queue=self.options.queue, countdown=countdown or None)
            except Exception as error:  # noqa: BLE001 - see the docstring
                log.warning("could not queue a delivery, the sweeper will", extra=log_fields(
                    message_id=message_id, error=f"{type(error).__name__}: {error}"))

    def refresh_templates(self) -> None:
        """Load the secretariat's template edits when they changed since the last look."""
        with self.engine.connect() as conn:
            edits = sa.select(sa.func.count(), sa.func.max(template_overrides.c.updated_at))
            version = tuple(conn.execute(edits).one())
            if version == self._overrides_version:
                return
            rows = conn.execute(sa.select(template_overrides)).all()
        refused = self.templates.load_overrides(
            {template_file(row.name, row.lang, row.channel): row.source for row in rows})
        for file_name, reason in refused.items():
            log.warning("template edit left out", extra=log_fields(template=file_name, reason=reason))
        self._overrides_version = version


def sms_provider(options: NotifyOptions) -> SmsProvider:
    if options.sms_url:
        return HttpSmsProvider(options.sms_url, options.sms_api_key)
    return SinkSmsProvider(options.sms_sink)


def bootstrap(env: Mapping[str, str] | None = None, load_templates: bool = True) -> Notify:
    """The notify container from the environment (or from `env`, a dict of TUIJU_* variables), with the
    secretariat's template edits loaded (when the database answers; they are looked up again before use)."""
    settings = Settings.from_env("notify", env)
    options = NotifyOptions.from_env(env)
    engine = make_engine(settings.database_url)
    rates = {"email": Rate(options.email_rate, options.email_burst), "sms": Rate(options.sms_rate, options.sms_burst)}
    notify = Notify(
        settings=settings,
        options=options,
        engine=engine,
        sessions=make_session_factory(engine),
        templates=MessageTemplates(),
        channels=Channels(SmtpMailer.from_settings(settings), sms_provider(options)),
        limiter=RedisRateLimiter.from_url(settings.rate_limit_redis_url(), rates),
    )
    if load_templates:
        try:
            notify.refresh_templates()
        except sa.exc.OperationalError as error:
            log.warning("template edits not loaded yet", extra=log_fields(error=str(error).splitlines()[0]))
    return notify
