"""Intake's own figures on /metrics, read when Prometheus scrapes: the scans' lag behind the uploads."""
from __future__ import annotations

import logging

from prometheus_client.core import GaugeMetricFamily

from services.intake.bootstrap import Intake
from services.intake.service_layer.scans import scan_backlog

log = logging.getLogger(__name__)

PENDING = ("intake_scans_pending", "Uploaded files waiting for their scan")
OLDEST = ("intake_scans_oldest_pending_seconds", "Seconds the oldest file waiting for its scan has waited")
QUEUED = ("intake_scan_queue_messages", "Scan tasks waiting in the Redis queue")


class ScanBacklogCollector:
    def __init__(self, intake: Intake):
        self.intake = intake

    def describe(self):
        return [GaugeMetricFamily(*PENDING), GaugeMetricFamily(*OLDEST), GaugeMetricFamily(*QUEUED)]

    def collect(self):
        try:
            backlog = scan_backlog(self.intake, self.intake.clock())
            yield GaugeMetricFamily(*PENDING, value=backlog.pending)
            yield GaugeMetricFamily(*OLDEST, value=backlog.oldest_seconds)
            if self.intake.scan_queue is not None:
                yield GaugeMetricFamily(*QUEUED, value=self.intake.scan_queue.waiting())
        except Exception as error:  # noqa: BLE001 - a server away leaves these out; /metrics still answers
            log.warning("scan backlog metrics unavailable: %s", error)
