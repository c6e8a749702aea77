from functools import partial

from services.intake.bootstrap import Intake, bootstrap
from services.intake.service_layer.incoming import HANDLERS, STAGE_EVENTS, stage_changed
from services.intake.service_layer.purge import campaign_purge_requested
from shared.events.topics import ARCHIVE, CAMPAIGNS, REVIEWS
from shared.messaging.entrypoints import consumer_main

TOPICS = [REVIEWS, ARCHIVE, CAMPAIGNS]


def handlers(intake: Intake) -> dict:
    return {**HANDLERS, "campaign.purge_requested": partial(campaign_purge_requested, intake),
            **{event_type: partial(stage_changed, intake) for event_type in STAGE_EVENTS}}


if __name__ == "__main__":
    consumer_main("intake", TOPICS, handlers(bootstrap(queue_scan=lambda _file_id: None)))
