"""gunicorn's access log without private tokens: the request line, path, query and Referer are redacted."""
from __future__ import annotations

from gunicorn.glogging import Logger

from shared.security import redact_query, redact_url


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        target = redact_url(path + (f"?{query}" if query else ""))
        atoms["r"] = f"{environ.get('REQUEST_METHOD', '-')} {target} {environ.get('SERVER_PROTOCOL', '-')}"
        atoms["U"] = redact_url(path)
        atoms["q"] = redact_query(query)
        atoms["f"] = redact_url(atoms.get("f", "-"))
        return atoms
