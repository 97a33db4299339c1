# The mchlink image: the bot (`mchlink bot`) and the admin CLI, for docker-compose.yml.
# Node 24 runs the TypeScript sources directly (type stripping), so there is no build
# step; only production dependencies are installed, and it runs as the unprivileged
# `node` user (uid 1000), which must own the state folder (`mchlink render-config` does).
FROM node:24.9.0-bookworm-slim

ENV NODE_ENV=production \
    MCHLINK_STATE=/state
WORKDIR /app

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
