# Production image: gunicorn serving the app (static files by WhiteNoise),
# the same image runs the Celery worker and beat.

# Front-end assets from the npm registry, pinned by package-lock.json.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MEDIA_ROOT=/data/media
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-hosny-amiri fonts-dejavu-core \
        fonts-noto-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 helpdesk
WORKDIR /app
# Exact versions with their hashes (requirements.lock, `make lock`): no test tools.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# A throwaway key for the build: collectstatic and compilemessages need
# settings, not secrets, and the image must not carry a key anyone can read.
RUN export DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    && python manage.py compilemessages -v 0 --ignore=node_modules \
    && python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /data/media /app/var \
    && chown -R helpdesk /data /app/var
USER helpdesk
EXPOSE 8000
CMD ["gunicorn", "helpdesk.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
