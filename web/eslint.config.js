// ESLint (flat config): TypeScript's recommended rules plus the web app's import layers.
// Imports flow shared → features → app: `src/shared/` (UI primitives, router, session, job following, the query
// cache, media players) and `src/api/` (typed client) import nothing from features/ or app/; a feature imports only
// shared/ and api/, never another feature; app/ (and main.tsx) may import everything and wires features together
// (e.g. the slots in shared/slots.tsx through which a catalog page shows the metadata or provenance panels).
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// every folder of src/features is a feature, so a new one is fenced in without editing this file
const FEATURES = readdirSync(`${import.meta.dirname}/src/features`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** `no-restricted-imports`: a file may not import a path matching `groups` (gitignore-style patterns). */
const forbid = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/api/schema.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      // the TypeScript compiler reports these (noUnusedLocals/Parameters) and knows more than the linter
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  {
    files: ['src/shared/**/*.{ts,tsx}', 'src/api/**/*.{ts,tsx}', 'src/test/**/*.{ts,tsx}'],
    rules: forbid(
      ['**/features/**', '**/app/**', '**/main'],
      'shared/ and api/ are the bottom layer: they import nothing from features/ or app/ (imports flow shared → features → app).',
    ),
  },
  // One block per feature: it may import shared/ and api/, and itself, but no other feature and not app/.
  ...FEATURES.map((feature) => ({
    files: [`src/features/${feature}/**/*.{ts,tsx}`],
    rules: forbid(
      [
        '**/app/**',
        '**/main',
        ...FEATURES.filter((f) => f !== feature).flatMap((f) => [`../${f}/**`, `**/features/${f}/**`]),
      ],
      `A feature imports only shared/ and api/ (not another feature, not app/). Move what two features share to shared/, or let app/ wire them (shared/slots.tsx).`,
    ),
  })),
);
