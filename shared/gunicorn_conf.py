"""gunicorn's settings for every web process: `gunicorn -c python:shared.gunicorn_conf ...`.

The access log goes to stderr with private links replaced (shared.security.redact_url)."""
accesslog = "-"
logger_class = "shared.access_log.RedactingLogger"
