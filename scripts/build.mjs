// Bundles the three entry points so the packaged extension is a few files and starts fast.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';

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

// Every bundle is ASCII: esbuild escapes non-ASCII characters in strings but leaves them in regular expression literals
// and comments (ours and our dependencies'), and one such character made Node decode the whole 3.5 MB file as UTF-8
// into a two-byte string: 16 ms of every CLI start instead of 1 ms, and a slower parse. Escaped as \uXXXX they mean
// the same in a regular expression or a comment (source map columns shift only on the lines where one was replaced).
for (const out of ['dist/client.js', 'dist/server.js', 'dist/cli-main.js', 'dist/cli.js']) {
  const text = readFileSync(out, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(out, ascii);
  if (/[^\x00-\x7f]/.test(ascii)) throw new Error(`${out} is not ASCII after escaping`);
}
