"""One module per server; REGISTRY is every server in the order `status` lists them; SERVERS are those
`up` starts, OPTIONAL those it starts only when named (the three-broker Kafka of one test)."""
from __future__ import annotations

from typing import Dict

from devstack.server import Server
from devstack.servers import kafka, kafka_ha, keycloak, mailpit, postgres, redis, s3

REGISTRY: Dict[str, Server] = {server.name: server for server in (
    *(module.SERVER for module in (postgres, redis, kafka, s3, mailpit, keycloak)), *kafka_ha.SERVERS)}
SERVERS = tuple(name for name, server in REGISTRY.items() if not server.optional)
OPTIONAL = tuple(name for name, server in REGISTRY.items() if server.optional)
EVERY_SERVER = SERVERS + OPTIONAL
