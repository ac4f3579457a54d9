# plangraph: the CLI and the API in one image (python:3.11-slim, the project installed with pip).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# LibreOffice (Writer, no GUI) reads .doc and .wps plans (loaders/read_office.py)
RUN apt-get update && apt-get install -y --no-install-recommends libreoffice-writer-nogui \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY plangraph ./plangraph
COPY graph ./graph
COPY api ./api
COPY loaders ./loaders
COPY queries ./queries
COPY viz ./viz
RUN pip install . && useradd --create-home --uid 10001 plangraph

USER plangraph
WORKDIR /home/plangraph
EXPOSE 8000
CMD ["plangraph", "--help"]
