import type { TestProject } from 'vitest/node';
import { setUpStack } from './global-setup.ts';

/** The integration stack on the production topology: workers, Redis, nginx, PostgreSQL. */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return setUpStack(project, 'production');
}
