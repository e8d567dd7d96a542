import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DESKTOP, launchChromium, logIn, newContext, type Device } from './browser.ts';
import { PASSWORD, startE2eStack, type E2eAgent, type E2eStack } from './stack.ts';

export interface E2eSuite {
  readonly stack: E2eStack;
  readonly browser: Browser;
  /** A new browser context (its own storage, so its own session) on the web client. */
  newContext(device?: Device): Promise<BrowserContext>;
  /** A page in a new browser context. */
  newPage(device?: Device): Promise<Page>;
  /** A page in a new browser context, signed in as `username` through the login form. */
  signedInPage(username: string, device?: Device): Promise<Page>;
}

/**
 * The stack for `agents` and a Chromium, for the tests of the enclosing `describe`: started before
 * them (ahead of the `beforeAll` hooks declared after this call) and closed after them.
 * `extraConfig` is the stack's extra configuration, or makes it (when it needs a port or a server
 * started first).
 */
export function e2eSuite(
  agents: readonly E2eAgent[],
  extraConfig: Record<string, unknown> | (() => Promise<Record<string, unknown>>) = {},
): E2eSuite {
  let stack: E2eStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startE2eStack(agents, typeof extraConfig === 'function' ? await extraConfig() : extraConfig);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the e2e stack runs only in the hooks and tests of its describe');
    return value;
  };
  const suite: E2eSuite = {
    get stack() {
      return started(stack);
    },
    get browser() {
      return started(browser);
    },
    newContext: (device = DESKTOP) => newContext(suite.browser, suite.stack.url, device),
    newPage: async (device = DESKTOP) => (await suite.newContext(device)).newPage(),
    async signedInPage(username, device = DESKTOP) {
      const page = await suite.newPage(device);
      await page.goto('/');
      await logIn(page, username, PASSWORD);
      return page;
    },
  };
  return suite;
}
