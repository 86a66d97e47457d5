# Coparcours in a container: one image runs the web process (gunicorn, the default command),
# the worker, the migrations and the nightly backup (compose.yaml, README "Production").
#   docker build -t coparcours .
# Debian 12, as the systemd install and CI: WeasyPrint renders with the Pango and fonts the
# tests render with, and pg_dump is PostgreSQL 15's (compose.yaml's server, never newer).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- Build: a virtual environment installed from requirements.lock alone ------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_NO_INPUT=1
RUN python -m venv /opt/coparcours/venv
ENV PATH=/opt/coparcours/venv/bin:$PATH
WORKDIR /src
# Every package pinned (`make lock`), none resolved here, wheels only: no compiler needed.
COPY requirements.lock ./
RUN pip install --no-deps --only-binary=:all: --requirement requirements.lock
COPY pyproject.toml README.md ./
COPY coparcours ./coparcours
# Coparcours itself, built by the lock's setuptools (no build environment fetched).
RUN pip install --no-deps --no-build-isolation . && pip check

# --- Runtime ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
# Pango, HarfBuzz's subsetter and fonts for WeasyPrint's PDF documents (fontconfig builds the
# fonts' cache now); pg_dump and pg_restore for `coparcours backup` and `restore`; the time
# zones for Europe/Paris. Debian 12's packages, kept current by its point releases.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core \
        fonts-liberation libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
        postgresql-client tzdata \
    && rm -rf /var/lib/apt/lists/*
# The service user of deploy/install.sh, with a fixed id for the volumes' owner. The data
# directory and the backups are volumes (compose.yaml); a new volume takes the owner of
# its mount point here.
RUN groupadd --system --gid 10001 coparcours \
    && useradd --system --uid 10001 --gid coparcours --home-dir /opt/coparcours \
        --no-create-home --shell /usr/sbin/nologin coparcours \
    && install -d -o coparcours -g coparcours -m 750 /var/lib/coparcours \
        /var/backups/coparcours /opt/coparcours/cache \
    && install -d -o coparcours -g coparcours -m 700 /run/coparcours
COPY --from=build /opt/coparcours/venv /opt/coparcours/venv
COPY deploy/gunicorn.conf.py deploy/healthcheck.py deploy/container-backup.sh \
    /opt/coparcours/deploy/
# STATIC_ROOT lies in the image, not in the data volume: each image serves its own assets.
# The caches (matplotlib's, fontconfig's) and gunicorn's control socket are the user's.
ENV PATH=/opt/coparcours/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    COPARCOURS_DATA_DIR=/var/lib/coparcours \
    STATIC_ROOT=/opt/coparcours/static \
    XDG_CACHE_HOME=/opt/coparcours/cache \
    MPLCONFIGDIR=/opt/coparcours/cache/matplotlib \
    XDG_RUNTIME_DIR=/run/coparcours \
    GUNICORN_BIND=0.0.0.0:8000
WORKDIR /opt/coparcours
# The assets with their hashed names and compressed copies (production's storage): the
# settings need a production key to load, this one signs nothing and is not kept.
RUN COPARCOURS_ENV=production ALLOWED_HOSTS=localhost \
    SECRET_KEY=collectstatic-at-build-time-only-this-key-never-signs-anything \
    coparcours collectstatic --no-input --verbosity 0
USER 10001:10001
# matplotlib's font list, built once here rather than by every container at start.
RUN python -c "import matplotlib.font_manager"
EXPOSE 8000
# Heartbeats in memory: the container's /tmp may be slow overlay storage.
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "--worker-tmp-dir", "/dev/shm", \
    "coparcours.wsgi"]
