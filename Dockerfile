# One image for every Tuiju process; docker-compose.yml and deploy/ choose the command of each.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# libzbar0: QR codes on the sealed forms (pyzbar); libmagic1: file types by their bytes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libzbar0 libmagic1 fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml constraints.txt ./
RUN mkdir -p shared services \
    && touch shared/__init__.py services/__init__.py \
    && pip install -c constraints.txt . \
    && pip uninstall -y tuiju \
    && rm -rf shared services build *.egg-info

COPY . .
# The code stays in /app (PYTHONPATH) beside what it reads at run time: campaigns/, migrations, templates.
RUN pip install --no-deps . && rm -rf build *.egg-info \
    && useradd --system --uid 10001 --home-dir /var/lib/tuiju --create-home tuiju
USER tuiju
# A folder the processes may write to (celery beat keeps its schedule file in the working directory).
WORKDIR /var/lib/tuiju

EXPOSE 5001 5002 5003 5004
CMD ["gunicorn", "-b", "0.0.0.0:5001", "services.intake.entrypoints.web:create_app()"]
