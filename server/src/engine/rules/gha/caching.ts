import { minimatch } from 'minimatch';
import { defineFileRule } from '../../rule';
import type { Fix } from '../../types';
import { isWorkflowFile, parseUses, rangeIn, stepCommands, type Step, workflowOf } from '../../gha/workflow';
import type { YamlDocument } from '../../text/yamlDocument';

/** Inserts `key: value` into a step's `with:` (or adds `with:` after `uses:`), at the step's indentation. */
function addWithInput(doc: YamlDocument, file: string, step: Step, key: string, value: string): Fix | undefined {
  const usesNode = step.uses?.node;
  if (!usesNode?.range) return undefined;
  const usesLine = doc.index.positionAt(usesNode.range[0]).line;
  const lineText = doc.index.lineText(usesLine);
  const keyCol = lineText.search(/uses\s*:/);
  if (keyCol < 0) return undefined;
  const indent = ' '.repeat(keyCol);
  const withPair = [...step.node.items].find((p) => (p.key as { value?: unknown })?.value === 'with');
  if (withPair) {
    const items = (withPair.value as { items?: { key: { range?: [number, number, number] } }[] } | null)?.items;
    const first = items?.[0]?.key?.range;
    if (!first) return undefined;
    const pos = doc.index.positionAt(first[0]);
    const childIndent = ' '.repeat(pos.character);
    if (doc.index.lineText(pos.line).trimStart().startsWith('{')) return undefined; // flow map: leave it
    return {
      title: `Add ${key}: ${value}`,
      changes: [
        {
          file,
          edits: [{ range: { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: 0 } }, newText: `${childIndent}${key}: ${value}\n` }],
        },
      ],
      preferred: true,
    };
  }
  const at = { line: usesLine + 1, character: 0 };
  if (usesLine + 1 >= doc.index.lineCount) return undefined;
  return {
    title: `Add with: ${key}: ${value}`,
    changes: [{ file, edits: [{ range: { start: at, end: at }, newText: `${indent}with:\n${indent}  ${key}: ${value}\n` }] }],
    preferred: true,
  };
}

/** Without a cache every run downloads torch & co. again: minutes per job, and flaky when PyPI is slow. */
export const dependencyCacheMissing = defineFileRule({
  code: 'GHA002',
  name: 'dependency-cache-missing',
  severity: 'warning',
  title: 'Dependencies installed without a cache',
  doc: {
    what: 'A job installs Python dependencies, but `actions/setup-python` has no `cache:` input and there is no `actions/cache` step, or `astral-sh/setup-uv` older than v6 runs without `enable-cache: true` (v6 and later cache by default), or `enable-cache: false` is set.',
    why: 'Every run downloads and builds all dependencies again: for ML projects (torch, CUDA wheels) that is minutes per job and a frequent source of flaky failures.',
    example: '- uses: actions/setup-python@v5\n  with:\n    python-version: "3.11"\n- run: pip install -r requirements.txt\n',
    fix: '- uses: actions/setup-python@v5\n  with:\n    python-version: "3.11"\n    cache: pip\n\n(with uv: `astral-sh/setup-uv@v6` or later, or `enable-cache: true`).',
    references: ['https://github.com/actions/setup-python#caching-packages-dependencies', 'https://github.com/astral-sh/setup-uv#enable-caching'],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    for (const job of wf.jobs) {
      const installs = job.steps.some((s) => stepCommands(s).some((c) => c.installs !== undefined));
      if (!installs) continue;
      if (job.steps.some((s) => /^actions\/cache(\/restore)?@/.test(s.uses?.value ?? ''))) continue;
      const usesUv = job.steps.some((s) => s.run && /\buv\s+(sync|run|pip)\b/.test(s.run.value));
      for (const step of job.steps) {
        const u = step.uses && parseUses(step.uses.value);
        if (!u || !step.uses) continue;
        if (u.action === 'actions/setup-python' && !usesUv) {
          if (step.with.has('cache') && step.with.get('cache')!.value !== '') continue;
          const fix = addWithInput(wf.doc, ctx.file, step, 'cache', 'pip');
          ctx.report({
            message: `job '${job.id}' installs dependencies but ${step.uses.value} has no \`cache:\` input: every run downloads them again`,
            range: wf.doc.rangeOf(step.uses.node),
            ...(fix ? { fixes: [fix] } : {}),
          });
        }
        if (u.action === 'astral-sh/setup-uv') {
          const enable = step.with.get('enable-cache')?.value;
          const defaultOn = u.major === undefined || u.major >= 6;
          if (enable === 'true' || enable === 'auto' || (defaultOn && enable !== 'false')) continue;
          const fix = enable === undefined ? addWithInput(wf.doc, ctx.file, step, 'enable-cache', 'true') : undefined;
          ctx.report({
            message:
              enable === 'false'
                ? `${step.uses.value} has enable-cache: false: every run downloads the dependencies again`
                : `${step.uses.value} does not cache before v6: add enable-cache: true (or use v6 or later)`,
            range: enable === 'false' ? wf.doc.rangeOf(step.with.get('enable-cache')!.node) : wf.doc.rangeOf(step.uses.node),
            ...(fix ? { fixes: [fix] } : {}),
          });
        }
      }
    }
  },
});

/**
 * setup-python and setup-uv resolve `cache-dependency-path` / `cache-dependency-glob` with @actions/glob, which is
 * minimatch with `{ dot: true, nobrace: true, noext: true, nocomment: true, nonegate: true }` (actions/toolkit,
 * packages/glob/src/internal-pattern.ts): `*` and `?` within a folder, `**` across folders, `[a-z]` classes, hidden
 * files included. The same library with the same options matches `requirements/[a-z]*.txt` as the runner does.
 */
const RUNNER_GLOB = { dot: true, nobrace: true, noext: true, nocomment: true, nonegate: true } as const;
function globMatcher(pattern: string): (rel: string) => boolean {
  return (rel) => minimatch(rel, pattern, RUNNER_GLOB);
}

/** A cache keyed on a file that does not exist: setup-python fails ("No file matched"), setup-uv never invalidates. */
export const cacheDependencyPathMissing = defineFileRule({
  code: 'GHA003',
  name: 'cache-dependency-path-missing',
  severity: 'warning',
  title: '`cache-dependency-path` names a file that does not exist',
  doc: {
    what: 'A `cache-dependency-path` (setup-python) or `cache-dependency-glob` (setup-uv) names a file or pattern that matches no file of the repository.',
    why: 'setup-python fails the job ("No file in ... matched to [requirements.txt]"); setup-uv computes the cache key from nothing, so the cache is never refreshed when dependencies change.',
    example: '- uses: actions/setup-python@v5\n  with:\n    cache: pip\n    cache-dependency-path: requirements-dev.txt   # the file is requirements_dev.txt\n',
    fix: 'Name the real dependency files (`requirements*.txt`, `pyproject.toml`, `uv.lock`).',
    references: ['https://github.com/actions/setup-python/blob/main/docs/advanced-usage.md#caching-packages'],
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const v = step.with.get('cache-dependency-path') ?? step.with.get('cache-dependency-glob');
        if (!v) continue;
        for (const raw of v.value
          .split(/\n/)
          .map((l) => l.trim())
          .filter(Boolean)) {
          if (/\$\{\{/.test(raw) || raw.startsWith('!')) continue;
          const pattern = raw.replace(/^\.\//, '');
          const isMatch = globMatcher(pattern);
          const matches = /[*?[]/.test(pattern) ? [...ctx.ws.paths()].some((p) => isMatch(p)) : ctx.ws.has(pattern) || ctx.ws.exists(pattern);
          if (!matches)
            ctx.report({
              message: `${raw} matches no file of the repository: the dependency cache ${step.with.has('cache-dependency-glob') ? 'is never refreshed' : 'step fails'}`,
              range: rangeIn(wf.doc, v.node, raw),
            });
        }
      }
    }
  },
});
