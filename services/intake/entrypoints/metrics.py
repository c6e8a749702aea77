"""Intake's own figures on /metrics, read when Prometheus scrapes: the scans' lag behind the uploads."""
from __future__ import annotations

import logging

from prometheus_client.core import GaugeMetricFamily

from services.intake.bootstrap import Intake
from services.intake.service_layer.scan_backlog import scan_backlog

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


SCAN_TIME = ("intake_scan_seconds", "Upload to verdict, over the scans of the last hour", ["quantile"])


class ScanTimeCollector:
    """How long files waited for their verdict (queue and scan), the median and the 95th percentile."""

    def __init__(self, intake: Intake):
        self.intake = intake

    def describe(self):
        return [GaugeMetricFamily(*SCAN_TIME[:2], labels=SCAN_TIME[2])]

    def collect(self):
        from sqlalchemy import text

        query = text("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds), "
                     "percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) FROM ("
                     "SELECT extract(epoch FROM scanned_at - created_at) AS seconds FROM uploads "
                     "WHERE scanned_at > now() - interval '1 hour') AS recent")
        try:
            with self.intake.engine.connect() as conn:
                median, p95 = conn.execute(query).one()
        except Exception as error:  # noqa: BLE001 - the database away leaves it out; /metrics still answers
            log.warning("scan time metrics unavailable: %s", error)
            return
        family = GaugeMetricFamily(*SCAN_TIME[:2], labels=SCAN_TIME[2])
        family.add_metric(["0.5"], median or 0.0)
        family.add_metric(["0.95"], p95 or 0.0)
        yield family
