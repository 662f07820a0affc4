# syntax=docker/dockerfile:1
# One image for every Designer process: web (daphne), Celery workers and beat; docker-compose.yml
# picks the command. GPU workers build it with
#   --build-arg XGBOOST_PACKAGE=xgboost --build-arg TORCH_INDEX_URL=
# (the CUDA builds of xgboost and torch from PyPI instead of the small CPU-only ones).

# --- the canvas: static files built with Node ---------------------------------------------------
FROM node:20-slim AS frontend
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- the Python application ---------------------------------------------------------------------
FROM python:3.11-slim AS app
# xgboost-cpu (19 MB) or xgboost (with a 469 MB CUDA library, for GPU workers); never both.
ARG XGBOOST_PACKAGE=xgboost-cpu
# Where torch comes from: the CPU-only wheels by default; empty = PyPI's CUDA build.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DESIGNER_HOME=/data

# libgomp1: OpenMP runtime that xgboost and scikit-learn load.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN sed -i "s/^xgboost-cpu==/${XGBOOST_PACKAGE}==/" requirements.txt \
    && pip install ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"} -r requirements.txt \
        s3fs==2026.9.0

COPY . .
COPY --from=frontend /build/frontend/dist ./frontend/dist
RUN useradd --create-home --uid 1000 designer \
    && mkdir -p /data \
    && chown designer:designer /data
USER designer

EXPOSE 8000
# docker-compose.yml overrides this per service (web runs migrate + collectstatic first).
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "--proxy-headers", "designer.asgi:application"]
