// ESLint flat config. Besides code quality, this file enforces the process boundaries
// (see src/*/README.md): a crossing is a lint error, so it fails the build, not a review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

// Bare Node built-in names are matched exactly (as `paths`), so a local './events' module is not mistaken for 'events'.
const nodeBuiltinNames = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'worker_threads',
  'stream',
  'events',
  'url',
  'util',
  'zlib',
  'tls',
  'dgram',
];
const nodeBuiltins = ['node:*'];
const nativeOrHostModules = [
  'electron',
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  'node-hid',
  'node-thermal-printer',
  'ws',
  'pg',
];

/** @param {string[]} groups @param {string} message */
const ban = (groups, message) => ({ group: groups, message });
/** @param {string} message */
const banNodeNames = (message) => nodeBuiltinNames.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      eqeqeq: ['error', 'always'],
      'no-restricted-properties': [
        'error',
        {
          object: 'describe',
          property: 'only',
          message: '.only is not allowed: it silently skips the rest of the suite.',
        },
        {
          object: 'it',
          property: 'only',
          message: '.only is not allowed: it silently skips the rest of the suite.',
        },
        {
          object: 'test',
          property: 'only',
          message: '.only is not allowed: it silently skips the rest of the suite.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  // --- process boundaries -------------------------------------------------------------------------
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banNodeNames('src/shared is pure: no Node modules.'),
          patterns: [
            ban(
              [...nodeBuiltins, ...nativeOrHostModules, 'react', 'react-dom', 'react/*', 'react-dom/*'],
              'src/shared is pure: no Node, Electron, DOM or native modules.',
            ),
            ban(
              ['**/main/**', '**/renderer/**', '**/drivers/**', '**/server/**', '**/preload/**'],
              'src/shared imports nothing outside src/shared.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: banNodeNames('The renderer never runs Node code.'),
          patterns: [
            ban(
              [...nodeBuiltins, ...nativeOrHostModules],
              'The renderer never runs Node or Electron code; talk to the core through the IPC client.',
            ),
            ban(
              ['**/main/**', '**/drivers/**', '**/server/**', '**/preload/**'],
              'The renderer may import only src/shared.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/drivers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ban(['electron'], 'Drivers never import electron: they run and are tested in plain Node.'),
            ban(
              ['**/main/**', '**/renderer/**', '**/server/**', '**/preload/**'],
              'Drivers may import only src/shared and Node.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ban(['electron'], 'Only src/main/electron imports electron: the core runs in plain Node.'),
            ban(
              ['**/renderer/**', '**/server/**', '**/preload/**'],
              'The core does not import the renderer, preload or store server.',
            ),
          ],
        },
      ],
    },
  },
  {
    // Raw IPC outside the gate is a build error: only the binding file may touch ipcMain.
    files: ['src/main/electron/**'],
    ignores: ['src/main/electron/ipc-binding.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Raw IPC goes through the gate (src/main/electron/ipc-binding.ts).',
            },
          ],
          patterns: [
            ban(
              ['**/renderer/**', '**/server/**'],
              'The shell does not import the renderer or the store server.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banNodeNames('The sandboxed preload cannot use Node modules.'),
          patterns: [
            ban(
              [
                '**/main/**',
                '**/renderer/**',
                '**/drivers/**',
                '**/server/**',
                ...nodeBuiltins,
                'better-sqlite3',
              ],
              'The preload exposes one narrow API and imports only electron and src/shared.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ban(
              ['electron', '**/renderer/**', '**/preload/**', '**/main/electron/**'],
              'The store server is a plain Node service.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
