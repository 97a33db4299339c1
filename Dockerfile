# The mchlink image: the bot (`mchlink bot`) and the admin CLI, for docker-compose.yml.
# Node 24 runs the TypeScript sources directly (type stripping), so there is no build
# step; only production dependencies are installed, and it runs as the unprivileged
# `node` user (uid 1000), which must own the state folder (`mchlink render-config` does).
FROM node:24.9.0-bookworm-slim

ENV NODE_ENV=production \
    MCHLINK_STATE=/state
WORKDIR /app

# pg_dump and pg_restore for `mchlink backup`/`restore` of Synapse's database: the same
# major as docker-compose.yml's postgres image (a pg_dump older than the server refuses
# to dump it). Debian 12 has 15, so from PostgreSQL's own apt repository, set up by
# postgresql-common's script with the signing key that package ships.
ARG PG_MAJOR=18
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
 && rm -rf /var/lib/apt/lists/*

COPY package.json package-lock.json ./
# --ignore-scripts: the only install script is the `node` package's download of a
# second Node binary, which this image does not need.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && mkdir /state && chown node:node /state

COPY bin/ bin/
COPY src/ src/
COPY synapse/ synapse/
COPY config/ config/

USER node
ENTRYPOINT ["node", "--disable-warning=ExperimentalWarning", "src/cli/main.ts"]
CMD ["--help"]
