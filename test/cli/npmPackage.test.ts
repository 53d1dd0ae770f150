import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT, rmrf, tmpDir } from '../support/tmp';

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string; name: string };
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

/**
 * The npm package is what `npx mlops-hygiene` runs in CI: packed as `npm publish` would pack it (prepublishOnly builds the
 * bundle), installed into a fresh project without the network, then run through npm's own bin link.
 */
describe('npm package: npx mlops-hygiene after install', function () {
  this.timeout(180_000);
  let work = '';
  after(() => work && rmrf(work));

  it('packs only the bundle and the docs, installs offline (no runtime dependencies) and runs as `npx mlops-hygiene`', () => {
    work = tmpDir();
    // A copy of the sources, so that the production build does not replace this checkout's development bundle.
    const src = path.join(work, 'src');
    const skip = new Set(['node_modules', 'dist', 'out', '.git', 'test-results', 'examples']);
    fs.cpSync(PROJECT_ROOT, src, { recursive: true, filter: (p) => !skip.has(path.basename(p)) || path.dirname(p) !== PROJECT_ROOT });
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(src, 'node_modules'), 'dir');

    // what `npm publish` runs first (prepublishOnly); `npm pack` itself runs no script (pre-commit parses its stdout)
    execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: src });
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], src)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path).sort();
    assert.ok(files.includes('dist/cli.js'), `dist/cli.js is packed: ${files.join(', ')}`);
    assert.ok(files.includes('README.md') && files.includes('package.json') && files.includes('LICENSE'), 'README, manifest and LICENSE');
    for (const f of files) assert.doesNotMatch(f, /^(test|server|client|shared|scripts|examples)\/|\.map$|\.ts$/, `${f} does not belong in the npm package`);

    const proj = path.join(work, 'proj');
    fs.mkdirSync(proj);
    fs.writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
    npm(['install', '--offline', path.join(work, packed[0].filename)], proj);

    assert.equal(npm(['exec', '--offline', '--', 'mlops-hygiene', '--version'], proj).trim(), pkg.version);
    // and it checks a folder: the user project itself has no README, so PRJ001 is reported
    fs.mkdirSync(path.join(proj, 'src'));
    const out = execFileSync('npx', ['--offline', 'mlops-hygiene', 'check', '.', '--no-git', '--format', 'json', '--fail-on', 'never'], {
      cwd: proj,
      encoding: 'utf8',
    });
    const codes = (JSON.parse(out) as { findings: { code: string }[] }).findings.map((f) => f.code);
    assert.ok(codes.includes('PRJ001'), `PRJ001 (no README) among ${codes.join(', ')}`);
  });
});

/**
 * What the registries read from package.json: npm shows `repository`, `homepage`, `bugs` and `license` on the package's
 * page (and `npm publish --provenance` requires `repository` to match the source); Open VSX and the VS Code Marketplace
 * need `publisher`, `engines.vscode`, a `license` (Open VSX refuses an extension without one) and an `icon`, a PNG of at
 * least 128x128 pixels (SVG is refused).
 */
describe('package.json for npm and Open VSX', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    license: string;
    publisher: string;
    icon: string;
    bin: Record<string, string>;
    engines: Record<string, string>;
    repository: { type: string; url: string };
    homepage: string;
    bugs: { url: string };
    scripts: Record<string, string>;
  };

  it('has a name, semver version, MIT license with its file, and the GitHub repository, homepage and issues', () => {
    assert.match(manifest.name, /^[a-z0-9-]+$/);
    assert.match(manifest.version, /^\d+\.\d+\.\d+(-[\w.]+)?$/);
    assert.equal(manifest.license, 'MIT');
    assert.match(fs.readFileSync(path.join(PROJECT_ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
    assert.equal(manifest.repository.type, 'git');
    assert.match(manifest.repository.url, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    assert.ok(manifest.homepage.startsWith(manifest.repository.url) && manifest.bugs.url === `${manifest.repository.url}/issues`);
    assert.ok(manifest.bin['mlops-hygiene'] === './dist/cli.js');
  });

  it('has a publisher, engines.vscode and a PNG icon of at least 128x128', () => {
    assert.match(manifest.publisher, /^[a-z0-9][a-z0-9-]*$/);
    assert.match(manifest.engines.vscode, /^\^\d+\.\d+\.\d+$/);
    const png = fs.readFileSync(path.join(PROJECT_ROOT, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)]; // the IHDR chunk
    assert.ok(w >= 128 && h >= 128, `icon is ${w}x${h}`);
  });

  it('builds for npm publish without a pack script (pre-commit parses npm pack output), and on install of a clone only', () => {
    assert.ok(
      !manifest.scripts.prepack && !manifest.scripts.prepare,
      'no prepack/prepare: their banner would end up in what pre-commit takes as the tarball name',
    );
    assert.match(manifest.scripts.prepublishOnly, /build\.mjs --production/);
    // the install script builds only where the sources are (a clone) and dist/ is not built yet
    const dir = tmpDir();
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', scripts: { postinstall: manifest.scripts.postinstall } }));
      fs.mkdirSync(path.join(dir, 'scripts'));
      fs.writeFileSync(
        path.join(dir, 'scripts', 'build.mjs'),
        "import { writeFileSync } from 'node:fs'; writeFileSync('built', process.argv.includes('--production') ? 'production' : 'development');\n",
      );
      npm(['run', 'postinstall'], dir);
      assert.equal(fs.readFileSync(path.join(dir, 'built'), 'utf8'), 'production', 'scripts/build.mjs reads --production from process.argv');
      fs.rmSync(path.join(dir, 'built'));
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'dist', 'cli.js'), '');
      npm(['run', 'postinstall'], dir);
      assert.ok(!fs.existsSync(path.join(dir, 'built')), 'an existing build is kept');
      fs.rmSync(path.join(dir, 'scripts'), { recursive: true });
      fs.rmSync(path.join(dir, 'dist'), { recursive: true });
      npm(['run', 'postinstall'], dir); // an installed package: no sources, nothing to do, no error
    } finally {
      rmrf(dir);
    }
  });
});
