"""Publishes notify's outbox (message.delivered, message.failed) to Kafka."""
from shared.messaging.entrypoints import relay_main

if __name__ == "__main__":
    relay_main("notify")
