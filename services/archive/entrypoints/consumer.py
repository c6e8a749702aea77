"""The archive's consumer: it records every event of every topic."""
from functools import partial

from services.archive.bootstrap import bootstrap
from services.archive.service_layer.handlers import record_event
from shared.events.registry import all_types
from shared.events.topics import ARCHIVE, CAMPAIGNS, NOMINATIONS, NOTIFICATIONS, REVIEWS
from shared.messaging.entrypoints import consumer_main

TOPICS = [NOMINATIONS, REVIEWS, CAMPAIGNS, NOTIFICATIONS, ARCHIVE]


def handlers(default_campaign: str) -> dict:
    record = partial(record_event, default_campaign=default_campaign)
    return {event_type.name: record for event_type in all_types()}


if __name__ == "__main__":
    consumer_main("archive", TOPICS, handlers(bootstrap().campaign.id))
