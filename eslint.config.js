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
    // src/wire is shared by the server and the browser: it may import other src/wire files, zod and decimal.js, nothing else.
    files: ['src/wire/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$)(?!decimal\\.js$)(?!\\./[^/]+$)', message: 'src/wire imports only other src/wire files, zod and decimal.js.' }] },
      ],
    },
  },
);
