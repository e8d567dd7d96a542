#!/usr/bin/env node
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load.ts';
import { renderSampleConfig } from './config/sample.ts';
import { loadSecrets, SecretsError } from './config/secrets.ts';
import { migrate } from './db/migrate.ts';
import { generateSchema, schemaPath } from './db/schema-gen.ts';
import { runImport } from './features/provisioning/index.ts';
import { openDatabase } from './db/open.ts';
import { renderRegistration } from './matrix/registration.ts';
import { createLogger } from './observability/logger.ts';
import { startAppservice } from './server.ts';

const usage = `usage: chattigo-appservice <command> [--config PATH]

commands:
  serve [--generate-secrets]     start the appservice (default command)
  validate-config                check a config file and exit
  sample-config [--write|--check] print, write or check config/config.sample.yaml
  generate-registration --out F  write the Synapse appservice registration file
  migrate                        apply database migrations and exit
  db-schema [--write|--check]    print, write or check the table types (src/db/schema.ts) made from the migrations
  import FILE... [--dry-run]     import accounts and campaigns (JSON or CSV) into the running appservice

The config path defaults to $CHATTIGO_CONFIG, else config/config.yaml.`;

export const sampleConfigPath = path.resolve(import.meta.dirname, '../../config/config.sample.yaml');

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      out: { type: 'string' },
      write: { type: 'boolean' },
      check: { type: 'boolean' },
      'generate-secrets': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help) {
    out(usage);
    return 0;
  }
  const configPath = values.config ?? process.env['CHATTIGO_CONFIG'] ?? 'config/config.yaml';

  switch (command) {
    case 'validate-config': {
      await loadConfig(configPath);
      out(`${configPath}: valid`);
      return 0;
    }
    case 'sample-config': {
      const sample = renderSampleConfig();
      if (values.write) {
        await writeFile(sampleConfigPath, sample);
        out(`wrote ${sampleConfigPath}`);
      } else if (values.check) {
        const committed = await readFile(sampleConfigPath, 'utf8').catch(() => '');
        if (committed !== sample) {
          err(`${sampleConfigPath} differs from the config schema; run: ./dev sample-config --write`);
          return 1;
        }
        out(`${sampleConfigPath} matches the schema`);
      } else {
        process.stdout.write(sample);
      }
      return 0;
    }
    case 'db-schema': {
      const schema = await generateSchema();
      if (values.write) {
        await writeFile(schemaPath, schema);
        out(`wrote ${schemaPath.pathname}`);
      } else if (values.check) {
        const committed = await readFile(schemaPath, 'utf8').catch(() => '');
        if (committed !== schema) {
          err(`${schemaPath.pathname} differs from the migrations; run: ./dev appservice db-schema --write`);
          return 1;
        }
        out(`${schemaPath.pathname} matches the migrations`);
      } else {
        process.stdout.write(schema);
      }
      return 0;
    }
    case 'generate-registration': {
      if (!values.out) throw new UsageError('generate-registration needs --out FILE');
      const config = await loadConfig(configPath);
      const secrets = await loadSecrets(config.secrets.dir, { generate: true });
      await mkdir(path.dirname(values.out), { recursive: true });
      await writeFile(values.out, renderRegistration(config.matrix, secrets), { mode: 0o600 });
      out(`wrote ${values.out}`);
      return 0;
    }
    case 'import': {
      const config = await loadConfig(configPath);
      const secrets = await loadSecrets(config.secrets.dir);
      const result = await runImport(config, secrets, positionals.slice(1), values['dry-run'] ?? false);
      (result.ok ? out : err)(result.text);
      return result.ok ? 0 : 1;
    }
    case 'migrate': {
      const config = await loadConfig(configPath);
      const log = createLogger(config.log.level);
      const db = await openDatabase(config.database);
      try {
        const applied = await migrate(db, log);
        out(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'serve': {
      const config = await loadConfig(configPath);
      const running = await startAppservice(config, { generateSecrets: values['generate-secrets'] ?? false });
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          running.log.info({ signal }, 'shutting down');
          running.stop().then(resolve, resolve);
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof SecretsError) {
      err(`error: ${error.message}`);
    } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`error: ${(error as Error).message}\n\n${usage}`);
    } else {
      err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    process.exitCode = 1;
  },
);
