import * as assert from 'node:assert/strict';
import { TomlDocument } from '../../server/src/engine/text/tomlDocument';
import { settingsFromToml } from '../../server/src/engine/settings';
import { checkFolder } from '../support/check';
import { gitRepo, rmrf } from '../support/tmp';

/**
 * TOML positions: a key can be written as a table header, a dotted key (`tool.mlops-hygiene.select = ...`,
 * `project.dependencies = [...]`) or inside an inline table (`project = { dependencies = [...] }`, setuptools'
 * `dependencies = {file = ["requirements.txt"]}`); all are the same key (TOML 1.0, "Keys", "Inline Table").
 * Findings point at the exact key, value or array item, not at line 0.
 */
const r = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

describe('TomlDocument positions', () => {
  it('locates header, dotted, quoted and inline-table keys, values and array items; strings and comments do not confuse it', () => {
    const text = [
      '# a comment with [fake] = "x"', // 0
      'tool.mlops-hygiene.select = ["DVC", "GIT"]', // 1
      'description = """', // 2
      'dependencies = ["not", "this"]', // 3 (inside a multi-line string)
      '"""', // 4
      '[project]', // 5
      'name = "x"', // 6
      'optional-dependencies = { dev = ["pytest==8.3.3", "ruff"], "docs" = [] }', // 7
      'dependencies = [', // 8
      '  "torch>=2", # pinned below', // 9
      "  'numpy',", // 10
      ']', // 11
      '[[tool.mypy.overrides]]', // 12
      'module = "a"', // 13
      '[[tool.mypy.overrides]]', // 14
      'module = "b"', // 15
      '[tool."setuptools".dynamic]', // 16
      'dependencies = {file = ["requirements.txt"]}', // 17
      '',
    ].join('\n');
    const doc = new TomlDocument(text);
    assert.ok(doc.value);
    assert.deepEqual(doc.keyRange('tool.mlops-hygiene', 'select'), r(1, 0, 25));
    assert.deepEqual(doc.valueRange(['tool', 'mlops-hygiene', 'select']), r(1, 28, 42));
    assert.deepEqual(doc.itemRanges(['tool', 'mlops-hygiene', 'select']), [r(1, 29, 34), r(1, 36, 41)]);
    assert.deepEqual(doc.tableRange('tool.mlops-hygiene'), r(1, 0, 18), 'a table made by a dotted key is located at that part of the key');
    assert.deepEqual(doc.keyRange('project', 'dependencies'), r(8, 0, 12), 'not the dependencies inside the multi-line string');
    assert.deepEqual(doc.itemRanges(['project', 'dependencies']), [r(9, 2, 12), r(10, 2, 9)]);
    assert.deepEqual(doc.keyRange('project.optional-dependencies', 'dev'), r(7, 26, 29));
    assert.deepEqual(doc.itemRanges(['project', 'optional-dependencies', 'dev']), [r(7, 33, 48), r(7, 50, 56)]);
    assert.deepEqual(doc.keyRange('project.optional-dependencies', 'docs'), r(7, 59, 65));
    assert.deepEqual(doc.tableRange('project'), r(5, 0, 9));
    assert.deepEqual(doc.keyRange('tool.mypy.overrides.1', 'module'), r(15, 0, 6), 'the second [[...]] element');
    assert.deepEqual(doc.keyRange('tool.setuptools.dynamic', 'dependencies'), r(17, 0, 12));
    assert.deepEqual(doc.itemRanges(['tool', 'setuptools', 'dynamic', 'dependencies', 'file']), [r(17, 24, 42)]);
  });
});

describe('settings problems in an inline [tool.mlops-hygiene] table', () => {
  it('are at the key inside the inline table, nested tables included', () => {
    const doc = new TomlDocument('[project]\nname = "x"\n\n[tool]\nmlops-hygiene = { ignore = ["NOPE2"], severity = { NOPE3 = "info" } }\n');
    const { problems } = settingsFromToml(doc, new Set(['DEP001']), ['tool', 'mlops-hygiene']);
    assert.deepEqual(
      problems.map((p) => [p.message.split(',')[0], p.range]),
      [
        ["'ignore' names 'NOPE2'", r(4, 18, 24)],
        ["severity for unknown rule 'NOPE3'", r(4, 51, 56)],
      ],
    );
  });
});

describe('findings on pyproject.toml written with dotted keys and inline tables', () => {
  let root = '';
  afterEach(() => rmrf(root));

  it('DEP001 at the item, MLH004 at the key, DEP002 at the file name', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'pyproject.toml': [
        '# settings first, as dotted keys', // 0
        'tool.mlops-hygiene.ignore = ["NOPE1"]', // 1
        'project.name = "x"', // 2
        'project.version = "0.1"', // 3
        'project.dependencies = ["torch", "numpy==1.26.4"]', // 4
        'project.dynamic = ["optional-dependencies"]', // 5
        '', // 6
        '[tool.setuptools.dynamic]', // 7
        "optional-dependencies = {dev = { file = ['requirements_dev.txt'] }}", // 8
        '',
      ].join('\n'),
    });
    const f = await checkFolder(root);
    const at = (code: string) =>
      f.filter((x) => x.code === code).map((x) => `${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character}`);
    assert.deepEqual(at('DEP001'), ['4:25-4:30'], 'torch, the item');
    assert.deepEqual(at('MLH004'), ['1:0-1:25'], 'the ignore key');
    assert.deepEqual(at('DEP002'), ['8:42-8:62'], 'requirements_dev.txt, which does not exist');
  });

  it('an inline [project] table: DEP001 at the unpinned dependency, not at the same text among the keywords', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'pyproject.toml': 'project = { name = "x", version = "0.1", keywords = ["hydra-core"], dependencies = ["wandb==0.18.5", "hydra-core"] }\n',
    });
    const f = await checkFolder(root);
    assert.deepEqual(
      f.filter((x) => x.code === 'DEP001').map((x) => x.range),
      [r(0, 102, 112)],
    );
  });

  it('DEP006: the related location is the requires-python value, also when written as a dotted key', async () => {
    root = gitRepo({
      'README.md': '# x\n',
      'requirements.txt': 'torch==2.5.1\n',
      'pyproject.toml': '# dotted keys\nproject.name = "x"\nproject.requires-python = ">=3.11"\n',
      Dockerfile: 'FROM python:3.10-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
    });
    const f = (await checkFolder(root)).filter((x) => x.code === 'DEP006');
    assert.equal(f.length, 1, JSON.stringify(f));
    assert.equal(f[0].file, 'Dockerfile');
    assert.deepEqual(
      f[0].related?.map((x) => [x.file, x.range]),
      [['pyproject.toml', r(2, 26, 34)]],
    );
  });
});
