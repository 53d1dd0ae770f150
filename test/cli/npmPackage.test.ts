import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT, rmrf, tmpDir } from '../support/tmp';

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string; name: string };
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

/**
 * The npm package is what `npx mlops-hygiene` runs in CI: packed as `npm publish` would pack it (prepack builds the
 * bundle), installed into a fresh project without the network, then run through npm's own bin link.
 */
describe('npm package: npx mlops-hygiene after install', function () {
  this.timeout(180_000);
  let work = '';
  after(() => work && rmrf(work));

  it('packs only the bundle and the docs, installs offline (no runtime dependencies) and runs as `npx mlops-hygiene`', () => {
    work = tmpDir();
    // A copy of the sources, so that prepack's production build does not replace this checkout's development bundle.
    const src = path.join(work, 'src');
    const skip = new Set(['node_modules', 'dist', 'out', '.git', 'test-results', 'examples']);
    fs.cpSync(PROJECT_ROOT, src, { recursive: true, filter: (p) => !skip.has(path.basename(p)) || path.dirname(p) !== PROJECT_ROOT });
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(src, 'node_modules'), 'dir');

    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], src)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path).sort();
    assert.ok(files.includes('dist/cli.js'), `dist/cli.js is packed (prepack built it): ${files.join(', ')}`);
    assert.ok(files.includes('README.md') && files.includes('package.json'));
    for (const f of files) assert.doesNotMatch(f, /^(test|server|client|shared|scripts|examples)\/|\.map$|\.ts$/, `${f} does not belong in the npm package`);

    const proj = path.join(work, 'proj');
    fs.mkdirSync(proj);
    fs.writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
    npm(['install', '--offline', path.join(work, packed[0].filename)], proj);

    assert.equal(npm(['exec', '--offline', '--', 'mlops-hygiene', '--version'], proj).trim(), pkg.version);
    // and it checks a folder: the user project itself has no README, so PRJ001 is reported
    fs.mkdirSync(path.join(proj, 'src'));
    const out = execFileSync('npx', ['--offline', 'mlops-hygiene', 'check', '.', '--no-git', '--format', 'json', '--fail-on', 'never'], { cwd: proj, encoding: 'utf8' });
    const codes = (JSON.parse(out) as { findings: { code: string }[] }).findings.map((f) => f.code);
    assert.ok(codes.includes('PRJ001'), `PRJ001 (no README) among ${codes.join(', ')}`);
  });
});
