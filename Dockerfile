# syntax=docker/dockerfile:1
# One image for every process of ours; the command picks which (docker-compose.yml):
#   node --enable-source-maps workers/main.js   the worker (workflows + activities)
#   node --enable-source-maps api/main.js       the HTTP API (default)
#   node --enable-source-maps sandbox/main.js   the provider sandbox (dev/demo only)
# The image runs JavaScript compiled at build time (`npm run build`, tsconfig.build.json); no
# TypeScript tooling ships in it. docs/security.md, "Supply chain".

# Node.js 24, an LTS line (Node 20 reached its end of life in April 2026).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# --- build: every dependency (compiler, bundler), the compiled code, the workflow bundle, the console
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false \
    SCARF_ANALYTICS=false
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY config ./config
COPY shared ./shared
COPY workflows ./workflows
COPY activities ./activities
COPY clients ./clients
COPY store ./store
COPY workers ./workers
COPY api ./api
COPY sandbox ./sandbox
COPY console ./console
# dist/server mirrors the source tree (api/main.ts -> dist/server/api/main.js), so paths relative to
# a module (the console's files, the workflows) hold in the runtime stage, which copies it to /app.
# The workflow bundle is built once so every worker replica runs identical workflow code.
RUN npm run build \
 && node dist/server/workers/bundle.js /app/dist/workflow-bundle.js \
 && node_modules/.bin/tsc -p console

# --- production dependencies only, exactly the committed lockfile
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false \
    SCARF_ANALYTICS=false
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# --- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    npm_config_update_notifier=false \
    DATA_DIR=/data \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist/server/ ./
COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
COPY --from=build /app/dist/console ./dist/console
COPY console/index.html console/style.css ./console/
COPY deploy/healthcheck.mjs ./deploy/
# The code is root's and read-only to the process; the only writable place is DATA_DIR (the
# sandbox's records; a volume in docker-compose.yml).
RUN mkdir -p /data && chown node:node /data
USER node
# API, sandbox, worker metrics.
EXPOSE 3000 3100 9464
CMD ["node", "--enable-source-maps", "api/main.js"]
