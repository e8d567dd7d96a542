import type { HomeserverOptions } from '../../src/config.ts';

/** The smallest homeserver the launcher renders: local, SQLite, one appservice; tests add what they check. */
export const baseOptions = {
  serverName: 'chattigo.localhost',
  dataDir: '/data/synapse',
  port: 8008,
  appserviceRegistrationFiles: ['/data/registration.yaml'],
  secrets: { registrationSharedSecret: 's1', macaroonSecretKey: 's2', formSecret: 's3' },
} satisfies HomeserverOptions;
