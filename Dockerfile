# syntax=docker/dockerfile:1
# Uncloud's server and dashboard in one image (docs/deploy.md). The server runs its TypeScript
# through tsx, as `npm start` does; the dashboard is built by Vite and served by the server.
ARG NODE_IMAGE=node:20.19-bookworm-slim

# 1. The dashboard: needs every dependency, dev ones included (Vite, Tailwind).
FROM ${NODE_IMAGE} AS web
WORKDIR /src
COPY . .
RUN npm ci --ignore-scripts && npm run build --workspace=@uncloud/web

# 2. The server's production dependencies only (better-sqlite3 is native: compilers if no prebuild).
FROM ${NODE_IMAGE} AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci --omit=dev --workspace=@uncloud/api --include-workspace-root=false

# 3. What runs: the server's sources, their production node_modules and the built dashboard.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=8080 \
  UNCLOUD_DATA_DIR=/var/lib/uncloud \
  UNCLOUD_WEB_DIR=/app/apps/web/dist
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/apps/api/package.json apps/api/
COPY --from=deps /app/apps/api/src apps/api/src
COPY --from=deps /app/packages/db/package.json packages/db/
COPY --from=deps /app/packages/db/src packages/db/src
COPY --from=deps /app/packages/db/drizzle packages/db/drizzle
COPY --from=deps /app/packages/kube/package.json packages/kube/
COPY --from=deps /app/packages/kube/src packages/kube/src
COPY --from=deps /app/packages/kube-sim/package.json packages/kube-sim/
COPY --from=deps /app/packages/kube-sim/src packages/kube-sim/src
COPY --from=deps /app/packages/sdk/package.json packages/sdk/
COPY --from=deps /app/packages/sdk/src packages/sdk/src
COPY --from=deps /app/packages/sync/package.json packages/sync/
COPY --from=deps /app/packages/sync/src packages/sync/src
COPY --from=web /src/apps/web/dist apps/web/dist
# A user of its own, never root; the data dir is the PersistentVolume's mount point.
RUN groupadd --system --gid 10001 uncloud \
  && useradd --system --uid 10001 --gid uncloud --home-dir /var/lib/uncloud --no-create-home uncloud \
  && mkdir -p /var/lib/uncloud && chown uncloud:uncloud /var/lib/uncloud
USER 10001:10001
EXPOSE 8080
VOLUME ["/var/lib/uncloud"]
CMD ["node", "--conditions=@uncloud/source", "--import", "tsx", "apps/api/src/main.ts"]
