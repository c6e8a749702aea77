"""The archive's consumer: it records every event of every topic, keeps the honouree registry, purges its own
copies of a campaign's personal data when asked and collects every service's confirmation."""
from services.archive.bootstrap import Archive, bootstrap
from services.archive.service_layer.handlers import record_event
from services.archive.service_layer.purge import campaign_purge_requested, campaign_purged
from services.archive.service_layer.registry import honourees_confirmed
from shared.events.registry import all_types
from shared.events.topics import ARCHIVE, CAMPAIGNS, NOMINATIONS, NOTIFICATIONS, REVIEWS
from shared.messaging.entrypoints import consumer_main

TOPICS = [NOMINATIONS, REVIEWS, CAMPAIGNS, NOTIFICATIONS, ARCHIVE]


def handlers(archive: Archive) -> dict:
    def record(session, event) -> None:
        record_event(session, event, default_campaign=archive.campaign.id)

    def then(effect):
        def record_and_apply(session, event) -> None:
            record(session, event)
            effect(session, event)
        return record_and_apply

    return {**{event_type.name: record for event_type in all_types()},
            "honourees.confirmed": then(lambda session, event: honourees_confirmed(archive, session, event)),
            "campaign.purge_requested": then(lambda session, event: campaign_purge_requested(archive, session, event)),
            "campaign.purged": then(campaign_purged)}


if __name__ == "__main__":
    consumer_main("archive", TOPICS, handlers(bootstrap()))
