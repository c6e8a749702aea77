"""One module per server; REGISTRY is every server in the order `status` lists them."""
from __future__ import annotations

from typing import Dict

from devstack.server import Server
from devstack.servers import kafka, keycloak, mailpit, postgres, redis, s3

REGISTRY: Dict[str, Server] = {module.SERVER.name: module.SERVER
                               for module in (postgres, redis, kafka, s3, mailpit, keycloak)}
SERVERS = tuple(REGISTRY)
