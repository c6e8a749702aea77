"""The main() of every service's relay and consumer processes."""
from __future__ import annotations

import os
import threading

from shared.config import Settings
from shared.db import make_engine, make_session_factory
from shared.logs import configure_logging
from shared.messaging.consumer import ConsumerRunner, Handler, stop_on_signals
from shared.messaging.relay import Relay
from shared.messaging.producer import make_producer
from shared.metrics import serve_metrics
from shared.web import OutboxCollector


def relay_main(service: str) -> None:
    settings = Settings.from_env(service)
    configure_logging(f"{service}-relay")
    stop = threading.Event()
    stop_on_signals(stop)
    engine = make_engine(settings.database_url)
    serve_metrics(service, "relay", [OutboxCollector(engine)])
    new_producer = lambda: make_producer(settings.kafka_bootstrap, client_id=f"{service}-relay")  # noqa: E731
    Relay(engine, new_producer, service=service).run(stop)


def consumer_main(service: str, topics: list[str], handlers: dict[str, Handler], group: str | None = None) -> None:
    settings = Settings.from_env(service)
    configure_logging(f"{service}-consumer")
    runner = ConsumerRunner(
        group=os.environ.get("TUIJU_CONSUMER_GROUP") or group or service,
        topics=topics,
        handlers=handlers,
        sessions=make_session_factory(make_engine(settings.database_url)),
        bootstrap=settings.kafka_bootstrap,
    )
    stop_on_signals(runner.stop)
    serve_metrics(service, "consumer")
    runner.run()
