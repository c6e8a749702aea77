"""The archive's sealer: writes the recorded events into segments of the object-locked bucket, seals the
dossiers that are due, asks for the campaign's PIPL purge once its retention period is over, and every
quarter of an hour removes honouree lists previewed but never imported."""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from services.archive.bootstrap import bootstrap
from services.archive.service_layer.dossiers import build_due_dossiers
from services.archive.service_layer.honouree_imports import forget_stale_imports
from services.archive.service_layer.purge import request_due_purge
from services.archive.service_layer.sealing import MAX_AGE, MAX_EVENTS, seal_due
from shared.logs import configure_logging, log_fields
from shared.messaging.consumer import TRANSIENT_ERRORS, stop_on_signals
from shared.metrics import serve_metrics

log = logging.getLogger(__name__)
POLL_SECONDS = 2.0
FORGET_EVERY = 15 * 60.0


def run(stop: threading.Event, max_events: int = MAX_EVENTS, max_age: timedelta = MAX_AGE) -> None:
    archive = bootstrap()
    forget_at = 0.0
    while not stop.is_set():
        try:
            if time.monotonic() >= forget_at:
                forget_stale_imports(archive, datetime.now(timezone.utc))
                forget_at = time.monotonic() + FORGET_EVERY
            if written := seal_due(archive, max_events=max_events, max_age=max_age):
                log.info("segments written", extra=log_fields(segments=written))
            if built := build_due_dossiers(archive):
                log.info("dossiers sealed", extra=log_fields(dossiers=built))
            if request_due_purge(archive, datetime.now(timezone.utc)):
                log.info("personal data purge requested", extra=log_fields(campaign=archive.campaign.id))
        except TRANSIENT_ERRORS as error:
            log.warning("storage or database away, sealer retries", extra=log_fields(error=str(error)[:300]))
        except Exception:  # noqa: BLE001 - e.g. a bucket without object lock: said, then tried again
            log.exception("sealing failed, sealer retries")
        stop.wait(POLL_SECONDS)


if __name__ == "__main__":
    configure_logging("archive-sealer")
    serve_metrics("archive", "sealer")
    stop_event = threading.Event()
    stop_on_signals(stop_event)
    run(stop_event)
