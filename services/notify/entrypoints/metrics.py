"""Notify's own figures on /metrics, read when Prometheus scrapes: its messages by state and channel
(sent, failed, pending, held), the same for every replica."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily

from services.notify.adapters.orm import messages

log = logging.getLogger(__name__)
MESSAGES = ("tuiju_notify_messages", "Messages by state and channel", ["state", "channel"])


class MessageStateCollector:
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def describe(self):
        return [GaugeMetricFamily(*MESSAGES[:2], labels=MESSAGES[2])]

    def collect(self):
        query = sa.select(messages.c.state, messages.c.channel, sa.func.count()).group_by(messages.c.state, messages.c.channel)
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
        except sa.exc.SQLAlchemyError as error:
            log.warning("message metrics unavailable: %s", error)
            return
        family = GaugeMetricFamily(*MESSAGES[:2], labels=MESSAGES[2])
        for state, channel, count in rows:
            family.add_metric([state, channel], count)
        yield family
