// Lint runs inside `npm test` so that CI catches what the type checker does not.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tally/', 'web/dist/', 'web/dist.*/', 'coverage/'] },
  js.configs.recommended,
  // CommonJS configuration files of tools (dependency-cruiser reads .cjs).
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error', { name: 'parseFloat', message: 'Money is exact: use Decimal, never a binary float.' }],
    },
  },
  {
    // SQL lives in repositories (docs/architecture.md, "Rules that keep the map"): a file that is not a
    // *.repository.ts may not build a query. The exceptions are the store's own machinery in platform/.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.repository.ts', 'src/platform/migrations.ts', 'src/platform/change-epoch.ts', 'src/platform/store.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'kysely',
              importNames: ['sql'],
              message: 'SQL lives in repositories: move this query into a *.repository.ts of its module.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)$/]',
          message: 'SQL lives in repositories: move this query into a *.repository.ts of its module.',
        },
      ],
    },
  },
  {
    // src/wire is shared by the server and the browser: it may import other src/wire files, zod and decimal.js, nothing else.
    files: ['src/wire/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$)(?!decimal\\.js$)(?!\\./[^/]+$)',
              message: 'src/wire imports only other src/wire files, zod and decimal.js.',
            },
          ],
        },
      ],
    },
  },
);
