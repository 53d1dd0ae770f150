// ESLint (flat config), run by `npm run lint` and CI: typescript-eslint's recommended rules for the TypeScript sources,
// and the layering of docs/architecture.md as import zones (`mlh/zones`, scripts/eslint-zones.mjs), so that a wrong
// import fails. test/unit/lint.zones.test.ts lints deliberately wrong imports with this file to prove each zone fails.
// Unused variables and parameters are tsc's (noUnusedLocals / noUnusedParameters); formatting is Prettier's.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { zones } from './scripts/eslint-zones.mjs';

/** The LSP and VS Code packages: the engine and shared data are used by the CLI, which has neither. */
const LSP_PACKAGES = [
  'vscode',
  'vscode-languageserver',
  'vscode-languageserver/*',
  'vscode-languageserver-protocol',
  'vscode-languageserver-protocol/*',
  'vscode-languageserver-textdocument',
  'vscode-languageclient',
  'vscode-languageclient/*',
  'vscode-jsonrpc',
  'vscode-jsonrpc/*',
];

/** docs/architecture.md, as zones: files under `target` may not import anything under `forbidden`, except `allow`. */
const ZONES = [
  {
    target: 'client/src',
    forbidden: ['server'],
    allow: [
      // The tracking-server clients run in the extension host: VS Code routes the extension host's http/https through
      // its proxy settings and the system certificates, and the credentials stay in its SecretStorage (issue 16). They
      // are engine code because the CLI (`runs --mlflow`, `--wandb`) uses the same readers.
      'server/src/engine/runs/sources/config.ts',
      'server/src/engine/runs/sources/http.ts',
      'server/src/engine/runs/sources/mlflowServer.ts',
      'server/src/engine/runs/sources/types.ts',
      'server/src/engine/runs/sources/wandbCloud.ts',
    ],
    message: 'the client is UI only: it talks to the server through shared/protocol.ts and may import shared/, not server/',
  },
  {
    target: 'server/src/engine',
    forbidden: ['server/src/lsp', 'server/src/cli', 'client'],
    message: 'the engine is a library: it imports neither the language server, the CLI nor the client',
  },
  {
    target: 'server/src/engine',
    forbidden: ['shared/protocol.ts'],
    message: 'the engine takes its data types from shared/types.ts (shared/protocol.ts imports the LSP package)',
  },
  { target: 'shared', forbidden: ['client', 'server'], message: 'shared/ is imported by both sides and imports neither' },
];

export default defineConfig(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.vscode-test/**',
      '.cache/**',
      'examples/**',
      'test/fixtures/**',
      'test-results/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { mlh: { rules: { zones } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'mlh/zones': ['error', ZONES],
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  {
    files: ['server/src/engine/**/*.ts', 'shared/**/*.ts'],
    ignores: ['shared/protocol.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: LSP_PACKAGES,
              message: 'no LSP or VS Code import here: the engine and shared data are used by the CLI too (shared/protocol.ts is the one exception)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fs', 'node:fs', 'fs/*', 'node:fs/*', 'child_process', 'node:child_process', 'simple-git', 'yaml', 'smol-toml'],
              message: 'the client reads no project file and runs no process: ask the server (shared/protocol.ts)',
            },
          ],
        },
      ],
    },
  },
  {
    // the CLI loads each command's modules when it runs (start-up time), and reads package.json when not bundled
    files: ['server/src/cli/main.ts', 'server/src/cli/version.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
