# Multi-stage build: dependencies are installed in a builder, the runtime image runs as a non-root user.
FROM python:3.11-slim AS builder
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Dependencies first, pinned by the lock file: changing the code reuses this layer instead of reinstalling them.
COPY requirements.lock ./
RUN pip install --no-cache-dir --upgrade pip && pip install --no-cache-dir -r requirements.lock
# The package carries its generic rules, its migrations and the bundled company pack (setup.py copies migrations/
# and seeds/ into it): the runtime image needs nothing but the virtual environment.
COPY pyproject.toml setup.py MANIFEST.in README.md alembic.ini ./
COPY migrations ./migrations
COPY seeds ./seeds
COPY bot ./bot
RUN pip install --no-cache-dir --no-deps .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 bot
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
# Another company's pack: mount its folder and set SEEDS_DIR to it (default: the bundled pack).
RUN mkdir -p /app/data && chown bot:bot /app/data
# matplotlib keeps its font cache where it may write, even on a read-only root file system with /tmp mounted.
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 DATABASE_URL=sqlite:////app/data/bot.db MPLCONFIGDIR=/tmp/matplotlib
USER bot
VOLUME ["/app/data"]
EXPOSE 3000
# HTTP mode answers GET /healthz; Socket Mode opens no port, so there is nothing to probe and the check passes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(0) if os.environ.get('SLACK_APP_TOKEN') else urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
# Migrate, index the seeds if the database is empty, then exec the bot (it becomes PID 1 and gets signals).
CMD ["sh", "-c", "python -m bot migrate && exec python -m bot run"]
