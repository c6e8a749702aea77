from services.intake.service_layer.incoming import HANDLERS
from shared.events.topics import ARCHIVE, REVIEWS
from shared.messaging.entrypoints import consumer_main

if __name__ == "__main__":
    consumer_main("intake", [REVIEWS, ARCHIVE], HANDLERS)
