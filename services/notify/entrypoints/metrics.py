"""Notify's own figures on /metrics, read when Prometheus scrapes: its messages by state and channel
(sent, failed, pending, held), and the failed ones by why they failed; the same for every replica."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily

from services.notify.adapters.orm import messages

log = logging.getLogger(__name__)
MESSAGES = ("tuiju_notify_messages", "Messages by state and channel", ["state", "channel"])
FAILED = ("tuiju_notify_failed_messages", "Failed messages by why they failed (domain/failures.py) and channel",
          ["failure", "channel"])


class MessageStateCollector:
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def describe(self):
        return [GaugeMetricFamily(*MESSAGES[:2], labels=MESSAGES[2]), GaugeMetricFamily(*FAILED[:2], labels=FAILED[2])]

    def collect(self):
        by_state = sa.select(messages.c.state, messages.c.channel, sa.func.count()).group_by(messages.c.state, messages.c.channel)
        failure = sa.func.coalesce(messages.c.failure, "unknown")
        by_failure = (sa.select(failure, messages.c.channel, sa.func.count()).where(messages.c.state == "failed")
                      .group_by(failure, messages.c.channel))
        try:
            with self.engine.connect() as conn:
                states, failures = conn.execute(by_state).all(), conn.execute(by_failure).all()
        except sa.exc.SQLAlchemyError as error:
            log.warning("message metrics unavailable: %s", error)
            return
        yield _family(MESSAGES, states)
        yield _family(FAILED, failures)


def _family(spec: tuple, rows) -> GaugeMetricFamily:
    family = GaugeMetricFamily(*spec[:2], labels=spec[2])
    for first, channel, count in rows:
        family.add_metric([first, channel], count)
    return family
