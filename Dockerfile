# Production image: gunicorn web and Celery worker/beat run from the same image.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    EVENTUM_ENV=production

# WeasyPrint needs Pango and HarfBuzz (with subsetting); fonts cover Cyrillic and Kazakh letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Production pins only, every download checked against the lock's hashes; then the project
# itself, which brings no dependency of its own.
COPY requirements/pip.txt requirements/base.txt requirements/
RUN pip install --require-hashes -r requirements/pip.txt
RUN pip install --require-hashes -r requirements/base.txt
COPY pyproject.toml README.md ./
RUN pip install --no-deps .

COPY . .
# collectstatic needs settings to import: a throwaway key used only for this build step.
RUN SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789abcdef \
    python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 eventum && mkdir -p /data/media /data/private \
    && chown -R eventum /data
USER eventum

EXPOSE 8000
CMD ["gunicorn", "eventum.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
