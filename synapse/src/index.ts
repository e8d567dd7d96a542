export { homeserverConfig, renderHomeserverConfig, renderLogConfig } from './config.ts';
export type { HomeserverOptions, SynapseSecrets } from './config.ts';
export { defaultVenv, ensureSynapseInstalled, modulesDir, repoRoot, startSynapse, SynapseError } from './process.ts';
export type { RunningSynapse, StartSynapseOptions } from './process.ts';
export { newSigningKey } from './signing-key.ts';
