export { homeserverConfig, renderHomeserverConfig, renderLogConfig } from './config.ts';
export type { HomeserverOptions, SynapseSecrets } from './config.ts';
export { defaultVenv, ensureSynapseInstalled, modulesDir, repoRoot, startSynapse, SynapseError } from './process.ts';
export type { RunningSynapse, StartSynapseOptions } from './process.ts';
export { newSigningKey } from './signing-key.ts';
export { ensureProgram, freePort, proxyBodyLimit, startProductionSynapse } from './production.ts';
export type { RunningProduction, StartProductionOptions } from './production.ts';
export { PRODUCTION_WORKERS, ROUTES, renderNginxConfig, sharedWorkerConfig, workerConfig } from './topology.ts';
export type { Address, TopologyPorts, WorkerSpec } from './topology.ts';
