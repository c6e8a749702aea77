"""The archive's consumer: it records every event of every topic, and keeps the honouree registry."""
from services.archive.bootstrap import Archive, bootstrap
from services.archive.service_layer.handlers import record_event
from services.archive.service_layer.registry import honourees_confirmed
from shared.events.registry import all_types
from shared.events.topics import ARCHIVE, CAMPAIGNS, NOMINATIONS, NOTIFICATIONS, REVIEWS
from shared.messaging.entrypoints import consumer_main

TOPICS = [NOMINATIONS, REVIEWS, CAMPAIGNS, NOTIFICATIONS, ARCHIVE]


def handlers(archive: Archive) -> dict:
    def record(session, event) -> None:
        record_event(session, event, default_campaign=archive.campaign.id)

    def record_and_register(session, event) -> None:
        record(session, event)
        honourees_confirmed(archive, session, event)

    return {**{event_type.name: record for event_type in all_types()}, "honourees.confirmed": record_and_register}


if __name__ == "__main__":
    consumer_main("archive", TOPICS, handlers(bootstrap()))
