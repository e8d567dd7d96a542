# The appservice with the built web client. Node 24 runs the TypeScript sources directly.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY synapse/package.json synapse/
COPY appservice/package.json appservice/
COPY client/package.json client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build --workspace client && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages packages
COPY --from=build /app/synapse synapse
COPY --from=build /app/appservice appservice
COPY --from=build /app/client/dist client/dist
COPY --from=build /app/config config
COPY --from=build /app/scripts scripts
EXPOSE 9000
USER node
CMD ["node", "appservice/src/cli.ts", "serve", "--config", "config/compose.yaml"]
