"""The notify consumer: every event that concerns someone becomes recorded messages and queued deliveries."""
from services.notify.bootstrap import bootstrap
from services.notify.service_layer.handlers import make_handlers
from services.notify.service_layer.purge import campaign_purge_requested
from shared.events.topics import CAMPAIGNS, NOMINATIONS, REVIEWS
from shared.messaging.entrypoints import consumer_main

TOPICS = [NOMINATIONS, REVIEWS, CAMPAIGNS]

if __name__ == "__main__":
    consumer_main("notify", TOPICS, {**make_handlers(bootstrap()), "campaign.purge_requested": campaign_purge_requested})
