# syntax=docker/dockerfile:1
# One image for every process of ours; the command picks which (docker-compose.yml):
#   node --import tsx workers/main.ts   the worker (workflows + activities)
#   node --import tsx api/main.ts       the HTTP API (default)
#   node --import tsx sandbox/main.ts   the provider sandbox (dev/demo only)
# TypeScript runs through tsx as in `npm run worker|api|sandbox`; there is no compile step.

ARG NODE_IMAGE=node:20.18.0-bookworm-slim

# --- production dependencies, from the committed lockfile ------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false \
    SCARF_ANALYTICS=false
COPY package.json package-lock.json .npmrc ./
# `npm ci` is the right command for an image, but it refuses this lockfile ("Missing:
# @swc/core-darwin-arm64@ from lock file", ...): the lock was written against a registry mirror
# that serves only some platforms' optional native packages (swc, the resolver). `npm install`
# installs from the lock as it is (README.md). Once the lockfile is regenerated on a normal
# network (and the step above is gone), replace `npm install` below with `npm ci`.
RUN --mount=type=cache,target=/root/.npm \
    npm install --omit=dev --no-audit --no-fund

# --- the workflow bundle, built once so every worker replica runs identical workflow code ------
FROM deps AS bundle
# Workflow code imports only shared/ and @temporalio/workflow (type-only imports are erased).
COPY package.json tsconfig.json ./
COPY shared ./shared
COPY workflows ./workflows
COPY workers/bundle.ts ./workers/
RUN node --import tsx workers/bundle.ts /app/dist/workflow-bundle.js

# --- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    npm_config_update_notifier=false \
    DATA_DIR=/data \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY config ./config
COPY shared ./shared
COPY workflows ./workflows
COPY activities ./activities
COPY clients ./clients
COPY store ./store
COPY workers ./workers
COPY api ./api
COPY sandbox ./sandbox
COPY deploy/healthcheck.mjs ./deploy/
COPY --from=bundle /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
# The code is root's and read-only to the process; the only writable place is DATA_DIR (the
# sandbox's records; a volume in docker-compose.yml). tsx caches its output under /tmp.
RUN mkdir -p /data && chown node:node /data
USER node
# API, sandbox, worker metrics.
EXPOSE 3000 3100 9464
CMD ["node", "--import", "tsx", "api/main.ts"]
