import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { defineFileRule, defineRepoRule } from '../../rule';
import type { Workspace } from '../../workspace';
import { TomlDocument } from '../../text/tomlDocument';
import { YamlDocument } from '../../text/yamlDocument';

const CONFIGS = ['.pre-commit-config.yaml', '.pre-commit-config.yml'];

/** Where ruff is configured: `[tool.ruff]` in pyproject.toml, ruff.toml or .ruff.toml. */
export function ruffConfig(ws: Workspace): { file: string; line: number } | undefined {
  for (const f of ['ruff.toml', '.ruff.toml']) if (ws.has(f)) return { file: f, line: 0 };
  const py = ws.toml('pyproject.toml');
  if (py instanceof TomlDocument && py.get(['tool', 'ruff']) !== undefined) {
    const r =
      py.tableRange('tool.ruff') ??
      [...Array(py.index.lineCount).keys()].map((i) => (/^\s*\[tool\.ruff[.\]]/.test(py.index.lineText(i)) ? py.index.lineRange(i) : undefined)).find(Boolean);
    return { file: 'pyproject.toml', line: r?.start.line ?? 0 };
  }
  return undefined;
}

interface Hook {
  repo: string;
  rev?: { value: string; node: Node };
  ids: string[];
}

function hooksOf(doc: YamlDocument): { hooks: Hook[]; reposNode?: Node; reposKey?: Node } {
  const reposPair = YamlDocument.pair(doc.rootMap, 'repos');
  const out: Hook[] = [];
  if (reposPair && isSeq(reposPair.value)) {
    for (const r of reposPair.value.items) {
      if (!isMap(r)) continue;
      const repo = YamlDocument.pair(r, 'repo')?.value;
      const rev = YamlDocument.pair(r, 'rev')?.value;
      const hooks = YamlDocument.pair(r, 'hooks')?.value;
      const ids: string[] = [];
      if (isSeq(hooks))
        for (const h of hooks.items)
          if (isMap(h)) {
            const id = YamlDocument.pair(h, 'id')?.value;
            if (isScalar(id)) ids.push(String(id.value));
          }
      out.push({ repo: isScalar(repo) ? String(repo.value) : '', rev: isScalar(rev) ? { value: String(rev.value), node: rev as Node } : undefined, ids });
    }
  }
  return { hooks: out, reposNode: reposPair?.value as Node | undefined, reposKey: reposPair?.key as Node | undefined };
}

export const preCommitConfigMissing = defineRepoRule({
  code: 'PRE001',
  name: 'pre-commit-config-missing',
  severity: 'info',
  title: 'Ruff is configured but there is no pre-commit configuration',
  doc: {
    what: 'The project configures ruff (`[tool.ruff]`, `ruff.toml`) but has no `.pre-commit-config.yaml`.',
    why: 'Without a hook, lint and format run only when someone remembers; the course sets up pre-commit so that every commit is checked (and large files and private keys are stopped) before it leaves the laptop.',
    example: '# pyproject.toml has [tool.ruff]; there is no .pre-commit-config.yaml\n',
    fix: 'Add a `.pre-commit-config.yaml` with the ruff hooks (`astral-sh/ruff-pre-commit`: `ruff`, `ruff-format`) and `pre-commit/pre-commit-hooks` (`check-added-large-files`, `detect-private-key`), then `pre-commit install`.',
    references: ['https://pre-commit.com/', 'https://github.com/astral-sh/ruff-pre-commit'],
  },
  check(ctx) {
    if (CONFIGS.some((c) => ctx.ws.has(c))) return;
    const ruff = ruffConfig(ctx.ws);
    if (!ruff) return;
    ctx.report({
      file: ruff.file,
      range: { start: { line: ruff.line, character: 0 }, end: { line: ruff.line, character: 0 } },
      message: `ruff is configured in ${ruff.file} but there is no .pre-commit-config.yaml: nothing runs it before a commit`,
    });
  },
});

const isPrecommitConfig = (rel: string): boolean => CONFIGS.includes(rel);

export const ruffNotHooked = defineFileRule({
  code: 'PRE002',
  name: 'ruff-not-hooked',
  severity: 'info',
  title: 'Ruff configured but not run by pre-commit',
  doc: {
    what: 'The project configures ruff, and `.pre-commit-config.yaml` exists, but no hook runs ruff (`ruff`, `ruff-check` or `ruff-format` ids, from `astral-sh/ruff-pre-commit` or a local hook).',
    why: 'The ruff settings are then only applied by hand or in CI, after the commit: the hook is the cheap place to catch it.',
    example: 'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: check-added-large-files\n',
    fix: '  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.7.4\n    hooks:\n      - id: ruff\n        args: [--fix]\n      - id: ruff-format\n',
  },
  appliesTo: isPrecommitConfig,
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    const ruff = ruffConfig(ctx.ws);
    if (!ruff) return;
    const { hooks, reposKey } = hooksOf(doc);
    if (hooks.some((h) => /ruff/.test(h.repo) || h.ids.some((id) => /^ruff/.test(id)))) return;
    ctx.report({
      message: `ruff is configured in ${ruff.file} but no pre-commit hook runs it`,
      range: reposKey ? doc.rangeOf(reposKey) : doc.index.lineRange(0),
    });
  },
});

export const safetyHooksMissing = defineFileRule({
  code: 'PRE003',
  name: 'safety-hooks-missing',
  severity: 'info',
  title: 'No large-file or private-key hook',
  doc: {
    what: '`.pre-commit-config.yaml` has no `check-added-large-files` or no `detect-private-key` hook.',
    why: 'These two hooks stop the two commits that are hardest to undo in an ML repository: a dataset or checkpoint (git keeps it forever, GitHub rejects files above 100 MB) and a private key (it must be rotated once pushed).',
    example: 'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.7.4\n    hooks:\n      - id: ruff\n',
    fix: '  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: check-added-large-files\n      - id: detect-private-key\n',
    references: ['https://github.com/pre-commit/pre-commit-hooks'],
  },
  appliesTo: isPrecommitConfig,
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    const { hooks, reposKey } = hooksOf(doc);
    const ids = new Set(hooks.flatMap((h) => h.ids));
    const missing = ['check-added-large-files', 'detect-private-key'].filter((id) => !ids.has(id));
    if (missing.length)
      ctx.report({
        message: `no ${missing.join(' or ')} hook: large data/model files and private keys can be committed`,
        range: reposKey ? doc.rangeOf(reposKey) : doc.index.lineRange(0),
      });
  },
});

/** Hook repositories whose old majors are known to be stale (the course template pins pre-commit-hooks v3.2.0). */
const MIN_REV: Record<string, { major: number; why: string }> = {
  'github.com/pre-commit/pre-commit-hooks': { major: 4, why: 'v3 dates from 2020' },
};

export const preCommitRevStale = defineFileRule({
  code: 'PRE004',
  name: 'pre-commit-rev-stale',
  severity: 'hint',
  title: 'Stale pre-commit hook revision',
  doc: {
    what: 'A hook repository is pinned to an old major revision (the course template ships `pre-commit/pre-commit-hooks` at v3.2.0).',
    why: 'Old hook versions miss fixes and may not run on current Python versions; `pre-commit autoupdate` keeps them current.',
    example: '  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v3.2.0\n',
    fix: 'Run `pre-commit autoupdate` and commit the result.',
    references: ['https://pre-commit.com/#updating-hooks-automatically'],
  },
  appliesTo: isPrecommitConfig,
  check(ctx) {
    const doc = ctx.yaml();
    if (!doc) return;
    for (const h of hooksOf(doc).hooks) {
      const key = h.repo
        .replace(/^https?:\/\//, '')
        .replace(/\.git$/, '')
        .toLowerCase();
      const min = MIN_REV[key];
      const major = h.rev && /^v?(\d+)\./.exec(h.rev.value);
      if (!min || !major || !h.rev || Number(major[1]) >= min.major) continue;
      ctx.report({ message: `${key} is pinned to ${h.rev.value} (${min.why}); run \`pre-commit autoupdate\``, range: doc.rangeOf(h.rev.node) });
    }
  },
});
