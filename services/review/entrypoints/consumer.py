from services.review.service_layer.handlers import HANDLERS
from shared.events.topics import NOMINATIONS
from shared.messaging.entrypoints import consumer_main

if __name__ == "__main__":
    consumer_main("review", [NOMINATIONS], HANDLERS)
