import { isScalar, isSeq, type Node } from 'yaml';
import { defineRepoRule } from '../../rule';
import type { Range, RelatedLocation } from '../../types';
import { TomlDocument } from '../../text/tomlDocument';
import { isDockerfile, parseDockerfile } from '../../docker/dockerfile';
import { parseUses, allWorkflows } from '../../gha/workflow';
import { YamlDocument } from '../../text/yamlDocument';
import type { From } from 'dockerfile-ast';
import { LINE_BREAK } from '../../text/textIndex';

type V = [number, number, number];

function parseVersion(s: string): V | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(s.trim());
  return m ? [Number(m[1]), Number(m[2]), m[3] === undefined ? -1 : Number(m[3])] : undefined;
}

function cmp(a: V, b: V): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether Python `major.minor` (patch unknown) can satisfy a PEP 440 specifier set such as `>=3.10,<3.13`, `~=3.11`,
 * `==3.11.*`. Lenient on patches: 3.11 satisfies `>=3.11.4`. Unknown clauses count as satisfied.
 */
export function pythonSatisfies(version: string, spec: string): boolean {
  const v = parseVersion(version);
  if (!v) return true;
  const lo: V = [v[0], v[1], v[2] < 0 ? 0 : v[2]];
  const hi: V = [v[0], v[1], v[2] < 0 ? 999 : v[2]];
  for (const clause of spec
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)) {
    const m = /^(~=|===|==|!=|<=|>=|<|>)\s*([\d.*]+)$/.exec(clause);
    if (!m) continue;
    const [, op, raw] = m;
    if (raw.endsWith('.*')) {
      const prefix = raw.slice(0, -2).split('.').map(Number);
      const match = prefix.every((n, i) => (i === 0 ? v[0] : i === 1 ? v[1] : v[2]) === n || (i === 2 && v[2] < 0));
      if (op === '==' && !match) return false;
      if (op === '!=' && match && prefix.length <= 2) return false;
      continue;
    }
    const t = parseVersion(raw) ?? ([Number(raw), 0, -1] as V);
    const tt: V = [t[0], t[1], t[2] < 0 ? 0 : t[2]];
    if (op === '>=' && cmp(hi, tt) < 0) return false;
    if (op === '>' && cmp(hi, tt) <= 0) return false;
    if (op === '<' && cmp(lo, tt) >= 0) return false;
    if (op === '<=' && cmp(lo, tt) > 0) return false;
    if ((op === '==' || op === '===') && !(v[0] === t[0] && v[1] === t[1])) return false;
    if (op === '~=') {
      if (cmp(hi, tt) < 0) return false;
      const parts = raw.split('.');
      if (parts.length === 2 && v[0] !== t[0]) return false;
      if (parts.length >= 3 && (v[0] !== t[0] || v[1] !== t[1])) return false;
    }
  }
  return true;
}

interface Claim {
  version: string;
  file: string;
  range: Range;
  what: string;
}

/** Python versions that disagree: CI tests one, the image runs another, the package says a third is required. */
export const pythonVersionMismatch = defineRepoRule({
  code: 'DEP006',
  name: 'python-version-mismatch',
  severity: 'warning',
  title: 'Python versions disagree across pyproject, .python-version, CI and Docker',
  doc: {
    what: 'A Python version named by `.python-version`, a workflow (`setup-python`/`setup-uv` `python-version`, including matrix values) or a Dockerfile base image (`FROM python:3.10-slim`, `uv:python3.10-...`) does not satisfy `requires-python` of pyproject.toml; or, without `requires-python`, the Dockerfile and `.python-version` name different versions.',
    why: 'The code is tested on one Python and shipped on another: `pip install .` refuses to install in the image ("requires a different Python"), or syntax and library wheels available on one version break on the other.',
    example: '# pyproject.toml: requires-python = ">=3.11"\n# dockerfiles/train.dockerfile\nFROM python:3.10-slim\n',
    fix: 'Pick one version (or a range) and use it everywhere: `requires-python = ">=3.11"`, `.python-version` 3.11, `python-version: "3.11"` in CI, `FROM python:3.11-slim`.',
  },
  check(ctx) {
    const claims: Claim[] = [];
    // .python-version
    const pv = ctx.ws.readText('.python-version');
    if (pv.ok) {
      const lines = pv.text.split(LINE_BREAK);
      const i = lines.findIndex((l) => /^\s*\d+\.\d+/.test(l));
      if (i >= 0)
        claims.push({
          version: lines[i].trim(),
          file: '.python-version',
          range: { start: { line: i, character: 0 }, end: { line: i, character: lines[i].trimEnd().length } },
          what: '.python-version',
        });
    }
    // workflows
    for (const { file, wf } of allWorkflows(ctx)) {
      for (const job of wf.jobs) {
        for (const step of job.steps) {
          const u = step.uses && parseUses(step.uses.value);
          if (!u || (u.action !== 'actions/setup-python' && u.action !== 'astral-sh/setup-uv')) continue;
          const pair = step.withPairs.get('python-version');
          if (!pair) continue;
          const nodes: Node[] = [];
          const v = pair.value;
          if (isScalar(v)) {
            const s = String(v.value);
            const mm = /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/.exec(s);
            if (mm) {
              const list = YamlDocument.pair(YamlDocument.pair(YamlDocument.pair(job.node, 'strategy')?.value, 'matrix')?.value, mm[1])?.value;
              if (isSeq(list)) for (const it of list.items) if (isScalar(it)) nodes.push(it as Node);
            } else nodes.push(v as Node);
          } else if (isSeq(v)) for (const it of v.items) if (isScalar(it)) nodes.push(it as Node);
          for (const n of nodes) {
            const s = String((n as unknown as { value: unknown }).value);
            if (/^\d+\.\d+/.test(s)) claims.push({ version: s, file, range: wf.doc.rangeOf(n), what: `${file} (job '${job.id}')` });
          }
        }
      }
    }
    // Dockerfiles
    for (const rel of [...ctx.ws.paths()].filter(isDockerfile).sort()) {
      const r = ctx.ws.readText(rel);
      if (!r.ok) continue;
      const p = parseDockerfile(r.text);
      const last = Math.max(0, ...p.instructions.map((i) => i.stage));
      for (const i of p.instructions) {
        if (i.keyword !== 'FROM' || i.stage !== last) continue;
        const f = i.raw as From;
        const name = f.getImageName?.() ?? '';
        const tag = f.getImageTag?.() ?? '';
        const tagRange = f.getImageTagRange?.();
        let version: string | undefined;
        if (/(^|\/)python$/.test(name)) version = /^(\d+\.\d+(\.\d+)?)/.exec(tag)?.[1];
        else if (/astral-sh\/uv$/.test(name)) version = /python(\d+\.\d+)/.exec(tag)?.[1];
        if (version && tagRange) claims.push({ version, file: rel, range: tagRange, what: `${rel} (FROM ${name}:${tag})` });
      }
    }
    if (!claims.length) return;
    const py = ctx.ws.toml('pyproject.toml');
    const requires = py instanceof TomlDocument ? py.get(['project', 'requires-python']) : undefined;
    if (typeof requires === 'string' && py instanceof TomlDocument) {
      const reqRange = py.valueRange(['project', 'requires-python']) ?? py.keyRange('project', 'requires-python');
      const related: RelatedLocation[] = reqRange ? [{ file: 'pyproject.toml', range: reqRange, message: `requires-python = "${requires}"` }] : [];
      for (const c of claims) {
        if (pythonSatisfies(c.version, requires)) continue;
        ctx.report({
          file: c.file,
          range: c.range,
          message: `Python ${c.version} in ${c.what} does not satisfy requires-python "${requires}" of pyproject.toml`,
          related,
        });
      }
      return;
    }
    const dot = claims.find((c) => c.file === '.python-version');
    if (!dot) return;
    const dv = parseVersion(dot.version)!;
    for (const c of claims) {
      if (!isDockerfile(c.file)) continue;
      const v = parseVersion(c.version);
      if (v && (v[0] !== dv[0] || v[1] !== dv[1])) {
        ctx.report({
          file: c.file,
          range: c.range,
          message: `Python ${c.version} in ${c.what} differs from ${dot.version} in .python-version`,
          related: [{ file: '.python-version', range: dot.range, message: `.python-version: ${dot.version}` }],
        });
      }
    }
  },
});
