import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Value from 'typebox/value';
import { parseDocument } from 'yaml';
import { describeProblems, findProblems, type FieldProblem } from '../validation.ts';
import { ConfigSchema, type Config } from './schema.ts';

export class ConfigError extends Error {
  readonly problems: readonly FieldProblem[];
  constructor(source: string, problems: readonly FieldProblem[]) {
    super(`invalid configuration in ${source}:\n${describeProblems(problems)}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Validates a parsed configuration object, fills in defaults and resolves relative paths against
 * `baseDir` (the folder of the config file). Throws a ConfigError naming every bad field.
 */
export function parseConfig(input: unknown, baseDir: string, source = 'configuration'): Config {
  const withDefaults = Value.Default(ConfigSchema, Value.Clone(input ?? {}));
  const problems = findProblems(ConfigSchema, withDefaults);
  if (problems.length > 0) throw new ConfigError(source, problems);
  const config = withDefaults as Config;
  const resolve = (p: string) => (path.isAbsolute(p) ? p : path.resolve(baseDir, p));
  return {
    ...config,
    database: {
      ...config.database,
      embeddedDir: config.database.embeddedDir.startsWith('memory://')
        ? config.database.embeddedDir
        : resolve(config.database.embeddedDir),
    },
    secrets: { dir: resolve(config.secrets.dir) },
    client: { distDir: resolve(config.client.distDir) },
    mail: { ...config.mail, outboxDir: resolve(config.mail.outboxDir) },
  };
}

/** Reads, parses and validates a YAML config file. */
export async function loadConfig(file: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [
      {
        path: '(file)',
        message:
          code === 'ENOENT'
            ? 'not found; copy config/config.sample.yaml to create it, or pass --config PATH'
            : `cannot be read (${code ?? String(err)})`,
      },
    ]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: '(yaml)', message: e.message.split('\n')[0] ?? e.message })),
    );
  }
  return parseConfig(doc.toJS(), path.dirname(path.resolve(file)), file);
}
