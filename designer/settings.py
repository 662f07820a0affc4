"""Django settings for the Designer server, read from the environment (see ``envconf.py``).

Defaults give a working laptop setup (SQLite in ``var/``, an in-memory channel layer); set
``DATABASE_URL`` / ``REDIS_URL`` for PostgreSQL and Redis. No business logic here.
"""

from __future__ import annotations

from pathlib import Path

from designer.envconf import (
    database_from_url,
    env_bool,
    env_choice,
    env_json_object,
    env_list,
    env_number,
    env_str,
    sqlite_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# The development key is flagged by the system check designer.W001 (designer/accounts/checks.py).
DEV_SECRET_KEY = "designer-dev-insecure-secret-key-change-me-0123456789abcdefghijklmnop"
SECRET_KEY = env_str("SECRET_KEY") or DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where artifacts, the default SQLite database and other local state live.
DESIGNER_HOME = Path(env_str("DESIGNER_HOME") or (BASE_DIR / "var")).resolve()
# Artifacts: a folder (default), or an fsspec URL every machine reaches (``s3://bucket/dir``
# with s3fs installed; options such as an S3-compatible endpoint in DESIGNER_ARTIFACT_OPTIONS,
# a JSON object); remote objects this machine reads or writes are kept in DESIGNER_ARTIFACT_CACHE.
_artifacts = env_str("DESIGNER_ARTIFACT_ROOT").strip()
DESIGNER_ARTIFACT_ROOT: Path | str = (
    DESIGNER_HOME / "artifacts" if not _artifacts
    else _artifacts if "://" in _artifacts else Path(_artifacts).resolve())
DESIGNER_ARTIFACT_OPTIONS = env_json_object("DESIGNER_ARTIFACT_OPTIONS")
DESIGNER_ARTIFACT_CACHE = Path(env_str("DESIGNER_ARTIFACT_CACHE")
                               or (DESIGNER_HOME / "artifact-cache")).resolve()
# Per-run data folder that io components read from / write to (ctx.data_dir).
DESIGNER_DATA_DIR = Path(env_str("DESIGNER_DATA_DIR") or (DESIGNER_HOME / "data")).resolve()

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI / ReDoc assets served locally (no CDN)
    "channels",
    "designer.accounts",
    "designer.catalogue",
    "designer.workflows",
    "designer.runs",
    "designer.realtime",
    "designer.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "designer.urls"
WSGI_APPLICATION = "designer.wsgi.application"
ASGI_APPLICATION = "designer.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url(_database_url, base_dir=BASE_DIR)
    if _database_url
    else sqlite_database(DESIGNER_HOME / "designer.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# Run events travel to group ``run.<id>`` (designer.realtime). A layer message carries a batch of
# events; a slow socket may queue up to `capacity` of them, unread ones expire after `expiry` s
# (they are persisted: consumers refill gaps from the database).
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "capacity": 1000, "expiry": 30,
                   "group_expiry": 86400},
    }
    if REDIS_URL
    else {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}
}
# A run socket re-reads new events from the database when no live message came for this long:
# the only path from other processes with the in-memory layer, a safety net with Redis.
REALTIME_POLL_SECONDS = float(env_str("REALTIME_POLL_SECONDS") or (1.0 if REDIS_URL else 0.25))

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Execution of runs (designer.runs.execution, workers/). "celery": one task per node on Redis;
# "inline": the same node code on a thread pool inside the web process (no broker needed).
DESIGNER_EXECUTION = env_choice("DESIGNER_EXECUTION", ("celery", "inline"),
                                "celery" if REDIS_URL else "inline")
DESIGNER_INLINE_WORKERS = int(env_number("DESIGNER_INLINE_WORKERS", 2, minimum=1))
DESIGNER_GPU_WORKERS = int(env_number("DESIGNER_GPU_WORKERS", 0))  # 0: GPU nodes use queue cpu
DESIGNER_NODE_TIME_LIMIT_S = env_number("DESIGNER_NODE_TIME_LIMIT_S", 6 * 3600, minimum=1)  # soft
DESIGNER_NODE_MAX_ATTEMPTS = int(env_number("DESIGNER_NODE_MAX_ATTEMPTS", 3, minimum=1))
# A queued node whose message the reconciler had to send this many times without any worker
# claiming it fails with a reason instead of being sent forever (designer.runs.execution.reconcile)
DESIGNER_NODE_MAX_RESENDS = int(env_number("DESIGNER_NODE_MAX_RESENDS", 5, minimum=1))
DESIGNER_HEARTBEAT_S = env_number("DESIGNER_HEARTBEAT_S", 5, minimum=0.1)
DESIGNER_NODE_STALE_S = env_number("DESIGNER_NODE_STALE_S", 30, minimum=1)  # then: worker lost
DESIGNER_REQUEUE_AFTER_S = env_number("DESIGNER_REQUEUE_AFTER_S", 30)  # queued, message lost
DESIGNER_RECONCILE_INTERVAL_S = env_number("DESIGNER_RECONCILE_INTERVAL_S", 5, minimum=0.5)
# A worker finishing a node may run one child it completes itself (same queue) instead of a broker
# round trip, within this many seconds of its task's start (0: never); designer.runs.execution.node
DESIGNER_CONTINUE_S = env_number("DESIGNER_CONTINUE_S", 2, minimum=0)
# Messages sent at once for the nodes one transition queues (a wide fan-out): the rest wait
# "unsent" and workers already busy with the run take them without a broker round trip each
# (designer.runs.execution.node); more than the cluster's worker processes keeps all of them busy
DESIGNER_SEND_WINDOW = int(env_number("DESIGNER_SEND_WINDOW", 64, minimum=1))
# Native threads (BLAS, OpenMP) per worker process; 0: the machine's cores / the pool's processes
DESIGNER_WORKER_THREADS = int(env_number("DESIGNER_WORKER_THREADS", 0, minimum=0))
# Node transitions as one round trip of prepared statements on PostgreSQL (off: the same steps
# one statement at a time, e.g. behind a PgBouncer without prepared-statement support)
DESIGNER_DB_FAST_PATH = env_bool("DESIGNER_DB_FAST_PATH", True)

CELERY_BROKER_URL = REDIS_URL or "memory://"
if REDIS_URL:  # kombu's Redis transport minus a restore that kills the consumer (workers/broker.py)
    CELERY_BROKER_TRANSPORT = "workers.broker:Transport"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Longer than any node may run, so Redis never hands a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(DESIGNER_NODE_TIME_LIMIT_S) + 900}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # state lives in the database, never in a result backend
CELERY_RESULT_BACKEND = None
CELERY_BEAT_SCHEDULE_FILENAME = str(DESIGNER_HOME / "celerybeat-schedule")
# Celery's Django fixup otherwise opens a new database connection for every task (~5 ms);
# workers.tasks applies Django's own CONN_MAX_AGE / health checks before each task instead.
CELERY_DB_REUSE_MAX = 1000

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DESIGNER_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
# The canvas (designer.web): `npm run build` writes frontend/dist, served under /static/app/
# straight from that folder (whitenoise finders: no collectstatic needed after a rebuild).
DESIGNER_FRONTEND_DIST = Path(env_str("DESIGNER_FRONTEND_DIST")
                              or (BASE_DIR / "frontend" / "dist"))
STATICFILES_DIRS = [("app", DESIGNER_FRONTEND_DIST)] if DESIGNER_FRONTEND_DIST.is_dir() else []
WHITENOISE_USE_FINDERS = True
# Vite's content-hashed bundles never change: cache them for a year.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^.+/app/assets/.+-[0-9A-Za-z_-]{8,}\.[a-z0-9]+(\.map)?$"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Request body limit (DRF's JSON parser reads request.body, so this applies to the API): larger
# bodies are a 400 `too_large`. Graph documents are capped at 2 MB by designer.workflows.documents.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request gets 401 with `WWW-Authenticate: Token`.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "designer.api.pagination.DefaultPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "designer.api.exceptions.exception_handler",
    # `?format=` is ours (export?format=python), not DRF's renderer override.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Designer API",
    "DESCRIPTION": (
        "Visual ML workflow designer: component catalogue, workflows with immutable versions, "
        "runs, node logs and artifact previews. Authenticate with a session (browser) or "
        "`Authorization: Token <key>` (SDK, scripts; get one from POST /api/auth/token/). "
        "Errors are JSON objects with `detail` and `code`; graph problems add `errors`, a list "
        "of {code, message, node, port, param, edge}."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API's shape is public (for code generators and fuzzers); its data is not.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    # /api/docs/ works offline: Swagger UI comes from drf-spectacular-sidecar's static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RunStatusEnum": "designer.runs.models.RunStatus",
        "NodeRunStatusEnum": "designer.runs.models.NodeStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "designer": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"),
                     "propagate": False},
    },
}
