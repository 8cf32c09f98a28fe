// ESLint (flat config): typescript-eslint's recommended type-checked rules on every TypeScript file, each file
// checked with its own part's tsconfig (the project service), plus the import directions of docs/architecture.md.
// Run by `npm run lint` and by `npm test`. A rule switched off says why, in one line.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports a part may not make: `group` patterns are matched against the import path as written. */
const forbid = (files, groups, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'tmp/', 'bench-results/', '.tap/', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `ws` hands text frames over as a Buffer (binaryType "nodebuffer"), whose toString() is their UTF-8 text.
      '@typescript-eslint/no-base-to-string': 'off',
      // A leading underscore marks a parameter or binding that is there for its position, not its value.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['server/**'],
    rules: {
      // Fastify tells promise-style plugins, hooks and handlers from callback-style ones by `async`: they need not await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['tests/**'],
    rules: {
      // tap queues each t.test() itself and the file ends when they do: awaiting its promise adds nothing.
      '@typescript-eslint/no-floating-promises': 'off',
      // tap subtests are async functions by convention, whether or not they await.
      '@typescript-eslint/require-await': 'off',
      // Tests read JSON and page values of unknown shape and check them at run time with tap's matchers (t.match).
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  forbid(['protocol/**'], ['**/server/**', '**/client/**', '**/scripts/**'], 'protocol/ is owned by no side: it imports none of them.'),
  forbid(['client/**'], ['**/server/**', '**/scripts/**'], 'A page imports only client/ and protocol/.'),
  forbid(['server/**'], ['**/client/**', '**/scripts/**'], 'The server imports only server/ and protocol/.'),
  forbid(['server/signaling/**'], ['../chat/*', '../ops/*'], 'chat/ and ops/ depend on signaling/, never the reverse (server/relay-handlers.ts joins them).'),
  forbid(['server/bus/**', 'server/media/**'], ['../signaling/*', '../chat/*', '../ops/*'], 'The bus and media-path seams know no handler: handlers know them.'),
);
