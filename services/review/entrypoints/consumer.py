"""The review consumer: intake's nomination events into the read model and the review queue, and the
campaign's stage changes."""
from services.review.bootstrap import bootstrap
from services.review.service_layer.handlers import make_handlers
from services.review.service_layer.purge import campaign_purge_requested
from shared.events.topics import CAMPAIGNS, NOMINATIONS
from shared.messaging.entrypoints import consumer_main

TOPICS = [NOMINATIONS, CAMPAIGNS]

if __name__ == "__main__":
    consumer_main("review", TOPICS, {**make_handlers(bootstrap()), "campaign.purge_requested": campaign_purge_requested})
