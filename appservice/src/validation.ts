import type { TSchema } from 'typebox';
import Value from 'typebox/value';

/** One problem found in external input, with the dotted path of the field it concerns. */
export interface FieldProblem {
  path: string;
  message: string;
}

const formatMessages: Record<string, string> = {
  uri: 'must be a URL',
  url: 'must be a URL',
  email: 'must be an email address',
  'date-time': 'must be an ISO 8601 date and time',
};

function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function join(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

/**
 * Lists what is wrong with `value` against `schema` in words meant for the person who wrote the
 * input: `matrix.homeserverUrl: must be a URL`. An empty list means the value is valid.
 */
export function findProblems(schema: TSchema, value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    const path = dotted(error.instancePath);
    let problem: FieldProblem;
    switch (error.keyword) {
      case 'boolean':
        continue; // reported once more precisely by its `additionalProperties` twin
      case 'additionalProperties':
        for (const key of error.params.additionalProperties) {
          addOnce({ path: join(path, key), message: 'unknown field; remove it or check its spelling' });
        }
        continue;
      case 'required':
        for (const key of error.params.requiredProperties) {
          addOnce({ path: join(path, key), message: 'is required' });
        }
        continue;
      case 'format':
        problem = { path, message: formatMessages[error.params.format] ?? error.message };
        break;
      default:
        problem = { path, message: error.message };
    }
    addOnce(problem);
  }
  return problems;

  function addOnce(problem: FieldProblem): void {
    // One problem per field: the first (most specific) one says enough to fix it.
    if (!seen.has(problem.path)) {
      seen.add(problem.path);
      problems.push({ path: problem.path === '' ? '(root)' : problem.path, message: problem.message });
    }
  }
}

export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
}
