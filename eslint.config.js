// One lint configuration for every workspace.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Where code may not import from (issue 13). The patterns match the import specifier, so they
 * catch a relative path at any depth (`../../../appservice/src/…`) as well as a package path.
 */
const appserviceSources = { group: ['**/appservice/src/**', '@chattigo/appservice', '@chattigo/appservice/**'], message: 'The client may not import the appservice: shared shapes live in @chattigo/contracts.' };
const clientSources = { group: ['**/client/src/**', '@chattigo/client', '@chattigo/client/**'], message: 'Only the client imports the client.' };
const features = { group: ['**/features/**'], message: 'Framework folders (commands/, matrix/, db/) never import a feature: move the shared piece to the framework or to @chattigo/contracts.' };
/**
 * A feature is imported through its index.ts only (its create<Feature> and what it chooses to
 * export): from another feature (`../chats/service.ts`) and from the wiring (`./features/chats/…`).
 */
const featureInternals = {
  regex: String.raw`^(\.\./|\./features/)(?!\.)[^/]+/(?!index\.ts$)[^/]+$`,
  message: "Import another feature through its index.ts (features/feature.ts, docs/decisions/0013-feature-contract.md).",
};
const restrict = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', '.local/**', 'test-artifacts/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['client/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // The client's service worker is plain JavaScript served as it is.
  {
    files: ['client/public/sw.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.serviceworker } },
  },
  // The rules of hooks and the React Compiler's checks (refs read or written during render,
  // setState called straight from an effect, impure renders, …).
  { files: ['client/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended },
  // Web Storage throws on access in a third-party iframe (the agent desktop embeds the client):
  // only util/web-storage.ts touches it, and everything else goes through webStorage().
  {
    files: ['client/src/**/*.{ts,tsx}'],
    ignores: ['client/src/util/web-storage.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: "Use webStorage('localStorage') from util/web-storage.ts: it throws in a third-party iframe." },
        { name: 'sessionStorage', message: "Use webStorage('sessionStorage') from util/web-storage.ts: it throws in a third-party iframe." },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'localStorage', message: 'Use webStorage() from util/web-storage.ts.' },
        { object: 'window', property: 'sessionStorage', message: 'Use webStorage() from util/web-storage.ts.' },
      ],
    },
  },
  // Boundaries. client/e2e is a harness that starts the appservice (secrets, password hashes), like
  // the appservice's own test helpers, so only the client's sources and unit tests are held to them.
  { files: ['client/src/**/*.{ts,tsx}', 'client/test/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': restrict(appserviceSources) } },
  {
    files: ['packages/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({
        group: ['**/appservice/**', '**/client/**', '**/synapse/**', '@chattigo/appservice', '@chattigo/appservice/**', '@chattigo/client', '@chattigo/client/**', 'node:*'],
        message: 'Contracts are pure shapes: they import only typebox and each other.',
      }),
    },
  },
  { files: ['appservice/**/*.ts', 'synapse/**/*.ts'], rules: { 'no-restricted-imports': restrict(clientSources) } },
  { files: ['appservice/src/{commands,matrix,db}/**/*.ts'], rules: { 'no-restricted-imports': restrict(clientSources, features) } },
  { files: ['appservice/src/*.ts', 'appservice/src/features/**/*.ts'], ignores: ['appservice/src/features/feature.ts'], rules: { 'no-restricted-imports': restrict(clientSources, featureInternals) } },
);
