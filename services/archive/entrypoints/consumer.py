"""The archive's consumer: it records every event of every topic and then applies what the archive keeps of
it: its view of each nomination, the honouree registry, its own purge and every service's confirmation."""
from services.archive.bootstrap import Archive, bootstrap
from services.archive.service_layer import nominations, purge, registry
from services.archive.service_layer.handlers import record_event
from shared.events.registry import all_types
from shared.events.topics import ARCHIVE, CAMPAIGNS, NOMINATIONS, NOTIFICATIONS, REVIEWS, STAFF
from shared.messaging.entrypoints import consumer_main

TOPICS = [NOMINATIONS, REVIEWS, CAMPAIGNS, NOTIFICATIONS, ARCHIVE, STAFF]


def handlers(archive: Archive) -> dict:
    effects = {
        **nominations.EFFECTS,
        "honourees.confirmed": [nominations.honourees_confirmed,
                                lambda session, event: registry.honourees_confirmed(archive, session, event)],
        "campaign.purge_requested": lambda session, event: purge.campaign_purge_requested(archive, session, event),
        "campaign.purged": purge.campaign_purged,
    }

    def handler_for(event_type: str):
        chosen = effects.get(event_type, [])
        chosen = chosen if isinstance(chosen, list) else [chosen]

        def record_then_apply(session, event) -> None:
            record_event(session, event, default_campaign=archive.campaign.id)
            for effect in chosen:
                effect(session, event)
        return record_then_apply

    return {event_type.name: handler_for(event_type.name) for event_type in all_types()}


if __name__ == "__main__":
    consumer_main("archive", TOPICS, handlers(bootstrap()))
