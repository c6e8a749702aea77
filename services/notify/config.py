"""Notify's own settings, read from the same environment as shared.config.Settings (TUIJU_*)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from shared.config import REPO_ROOT


@dataclass(frozen=True)
class NotifyOptions:
    hold_threshold: int          # an event planning more messages than this is held for release
    email_rate: float            # messages a second, per channel, across all workers
    email_burst: int
    sms_rate: float
    sms_burst: int
    retry_base: float            # seconds before the first retry; doubled each time
    retry_max: float             # the longest wait between two tries
    max_tries: int               # tries before a message is marked failed
    sweep_every: float           # seconds between two sweeps for lost delivery tasks
    sweep_after: float           # a pending message overdue by this much has lost its task
    reminders_every: float       # seconds between two runs of the reminder task
    queue: str                   # the Celery queue of delivery tasks
    sms_sink: str                # the development SMS sink (JSON lines) when no provider URL is set
    sms_url: str
    sms_api_key: str
    beat_schedule_file: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "NotifyOptions":
        env = os.environ if env is None else env
        get = lambda name, default="": env.get(f"TUIJU_{name}", default)  # noqa: E731
        devstack = REPO_ROOT / ".devstack"
        return cls(
            hold_threshold=int(get("NOTIFY_HOLD_THRESHOLD", "200")),
            email_rate=float(get("NOTIFY_EMAIL_RATE", "20")),
            email_burst=int(get("NOTIFY_EMAIL_BURST", "20")),
            sms_rate=float(get("NOTIFY_SMS_RATE", "5")),
            sms_burst=int(get("NOTIFY_SMS_BURST", "5")),
            retry_base=float(get("NOTIFY_RETRY_BASE", "10")),
            retry_max=float(get("NOTIFY_RETRY_MAX", "240")),
            max_tries=int(get("NOTIFY_MAX_TRIES", "10")),
            sweep_every=float(get("NOTIFY_SWEEP_EVERY", "30")),
            sweep_after=float(get("NOTIFY_SWEEP_AFTER", "60")),
            reminders_every=float(get("NOTIFY_REMINDERS_EVERY", "3600")),
            queue=get("NOTIFY_QUEUE", "notify"),
            sms_sink=get("SMS_SINK", str(devstack / "sms-sink.jsonl")),
            sms_url=get("SMS_URL"),
            sms_api_key=get("SMS_API_KEY"),
            beat_schedule_file=get("NOTIFY_BEAT_SCHEDULE", str(devstack / "notify-celerybeat-schedule")),
        )