"""gunicorn's settings for every web process: `gunicorn -c python:shared.gunicorn_conf ...`.

The access log goes to stderr with private links replaced (shared.security.redact_url)."""
accesslog = "-"
logger_class = "shared.access_log.RedactingLogger"
# SIGTERM: stop accepting, finish the requests in hand (within 25 s, before Kubernetes' 30 s kill), exit.
graceful_timeout = 25
