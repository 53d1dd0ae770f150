import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { VSIX } from './harness/session';

/** Entry names (and uncompressed contents on request) of a zip file, read from its central directory. */
function readZip(file: string): Map<string, () => Buffer> {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, `${file} is not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, () => Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'corrupt central directory');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.set(name, () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + csize);
      return method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

describe('package: the .vsix built by `npm run package`', () => {
  let entries: Map<string, () => Buffer>;
  before(() => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\``);
    entries = readZip(VSIX);
  });

  it('stays under 2 MB', () => {
    const size = fs.statSync(VSIX).size;
    assert.ok(size < 2 * 1024 * 1024, `the .vsix is ${(size / 1024 / 1024).toFixed(2)} MB`);
  });

  it('contains the bundled extension, its manifest, README, CHANGELOG, LICENSE and icon', () => {
    for (const f of [
      'extension/package.json',
      'extension/dist/client.js',
      'extension/dist/server.js',
      'extension/dist/cli.js',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
      'extension/media/icon.png',
    ]) {
      assert.ok(entries.has(f), `${f} is not in the .vsix: ${[...entries.keys()].join(', ')}`);
    }
  });

  it('contains no tests, examples, sources, source maps or node_modules', () => {
    const bad = [...entries.keys()].filter((n) => /\.map$|\.ts$|^extension\/(test|examples|out|client|server|shared|scripts|node_modules|docs)\//.test(n));
    assert.deepEqual(bad, []);
  });

  it('contains the JSON Schemas, grammars and walkthrough media that package.json contributes', () => {
    const pkg = JSON.parse(entries.get('extension/package.json')!().toString('utf8'));
    // yamlValidation may be empty: no schema is contributed that a rule of ours already checks (schemas.test.ts)
    const files: string[] = [
      ...(pkg.contributes.yamlValidation ?? []).map((v: { url: string }) => v.url),
      ...(pkg.contributes.grammars ?? []).map((g: { path: string }) => g.path),
    ];
    assert.ok(
      files.some((f) => f.startsWith('./syntaxes/')),
      'no grammar contributed',
    );
    const media: string[] = (pkg.contributes.walkthroughs ?? []).flatMap((w: { steps: { media: { markdown?: string } }[] }) =>
      w.steps.map((st) => st.media.markdown).filter(Boolean),
    );
    assert.equal(media.length, 4, 'the walkthrough has four steps with Markdown media');
    for (const m of media) assert.ok(entries.has(`extension/${m}`), `${m} (a walkthrough step) is not in the .vsix`);
    for (const f of files) {
      const entry = `extension/${f.replace(/^\.\//, '')}`;
      assert.ok(entries.has(entry), `${entry} (contributed in package.json) is not in the .vsix`);
      assert.doesNotThrow(() => JSON.parse(entries.get(entry)!().toString('utf8')), `${entry} is not JSON`);
    }
  });

  it('ships a production build: minified, without a sourceMappingURL', () => {
    for (const f of ['extension/dist/client.js', 'extension/dist/server.js']) {
      const text = entries.get(f)!().toString('utf8');
      assert.ok(!/sourceMappingURL/.test(text.slice(-500)), `${f} points at a source map`);
      const lines = text.split('\n').length;
      assert.ok(text.length / lines > 500, `${f} does not look minified (${lines} lines for ${text.length} bytes)`);
    }
  });

  it('declares Marketplace fields, activation on the files it serves and limited untrusted support', () => {
    const pkg = JSON.parse(entries.get('extension/package.json')!().toString('utf8'));
    assert.equal(pkg.icon, 'media/icon.png');
    assert.ok(pkg.categories?.length && pkg.keywords?.length && pkg.repository && pkg.license, 'categories, keywords, repository, license');
    assert.ok(!pkg.activationEvents.includes('*'), 'activates on `*`');
    // activation is not narrowed to the ML signal (README, "Only ML projects"): a dependency or Hydra in the code is
    // inside files workspaceContains cannot read, so the folders that may carry one activate it and the server decides
    for (const e of [
      'pyproject.toml',
      'requirements.txt',
      'setup.py',
      'environment.yml',
      '**/dvc.yaml',
      '**/*.dvc',
      '.dvc/config',
      '**/params.yaml',
      '**/MLproject',
      'configs/**/*.yaml',
      'conf/**/*.yaml',
    ]) {
      assert.ok(pkg.activationEvents.includes(`workspaceContains:${e}`), `no activation on ${e}, an ML signal the server reads`);
    }
    // it reads and runs git in the workspace: in Remote/WSL/Codespaces it runs where the files are
    assert.deepEqual(pkg.extensionKind, ['workspace']);
    assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.ok(pkg.capabilities.untrustedWorkspaces.description, 'untrusted support without a description');
    assert.match(pkg.engines.vscode, /^\^1\.9\d/);
  });
});
