// Bundles the three entry points so the packaged extension is a few files and starts fast.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { __MLOPS_HYGIENE_VERSION__: JSON.stringify(version) },
};

// A production build (what `npm run package` ships) leaves no source maps of an earlier development build behind.
if (production && existsSync('dist')) {
  for (const f of readdirSync('dist', { withFileTypes: true })) if (f.isFile() && f.name.endsWith('.map')) rmSync(`dist/${f.name}`);
}

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  // the CLI: dist/cli.js starts dist/cli-main.js with V8's code cache (server/src/cli/launch.ts)
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-main.js' }),
  build({
    ...common,
    entryPoints: ['server/src/cli/launch.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
