/**
 * The Runs tree as plain data: grouping, filtering, sorting, labels. No `vscode` import, so mocha tests it directly
 * (test/unit/runs.model.test.ts); tree.ts only maps these nodes to TreeItems.
 */
import type { RunSource, RunSummary } from '../../../shared/protocol';
import { compareNames, formatDuration, formatTime, formatValue, runDescription } from '../../../shared/runFormat';

export const SOURCE_LABELS: Record<RunSource, string> = {
  hydra: 'Hydra',
  wandb: 'Weights & Biases',
  mlflow: 'MLflow',
  lightning: 'Lightning',
  'dvc-exp': 'DVC experiments',
};
const SOURCE_ORDER: RunSource[] = ['hydra', 'wandb', 'mlflow', 'lightning', 'dvc-exp'];

export type SortSpec = { by: 'newest' } | { by: 'oldest' } | { by: 'metric'; metric: string; order: 'asc' | 'desc' };

export type RunNode =
  | { kind: 'source'; id: string; source: RunSource; label: string; description: string; children: RunNode[] }
  | { kind: 'experiment'; id: string; label: string; description: string; children: RunNode[] }
  /** description and tooltip of a run are computed when VS Code asks for the item (runDescription, runTooltip): 10,000 runs are grouped without formatting them */
  /** childRuns: MLflow nested runs shown under it; childMap: the tree's parent -> children map (for grandchildren) */
  | { kind: 'run'; id: string; run: RunSummary; label: string; childRuns?: RunSummary[]; childMap?: Map<string, RunSummary[]> }
  /** A message row at the top: a configured run folder that cannot be searched, a walk that stopped early. */
  | { kind: 'note'; id: string; label: string; description: string; tooltip: string }
  | { kind: 'section'; id: string; label: string; description: string; section: 'params' | 'metrics' | 'details' | 'warnings'; run: RunSummary }
  | {
      kind: 'value';
      id: string;
      label: string;
      description: string;
      tooltip: string;
      run: RunSummary;
      key: string;
      section: 'params' | 'metrics' | 'details' | 'warnings';
    }
  /** A row above the runs about a tracking service (a failure and its action, cached runs being refreshed): remoteModel.ts */
  /** (or, in a workspace without runs, what starts one: welcomeText.ts; `icon` a codicon name) */
  | {
      kind: 'message';
      id: string;
      label: string;
      description: string;
      tooltip: string;
      severity: 'error' | 'info';
      icon?: string;
      command?: { command: string; title: string; arguments?: unknown[] };
    };

// ------------------------------------------------------------------ formatting (shared with the CLI: shared/runFormat.ts)

export { formatTime, formatDuration, formatValue, runDescription };

export function runTooltip(r: RunSummary): string {
  const lines = [`${r.name} (${SOURCE_LABELS[r.source]}${r.experiment ? `, ${r.experiment}` : ''})`, `status: ${r.status}`];
  if (r.startTime) lines.push(`started: ${formatTime(r.startTime)}`);
  if (r.durationMs !== undefined) lines.push(`duration: ${formatDuration(r.durationMs)}`);
  if (r.gitCommit) lines.push(`git commit: ${r.gitCommit}`);
  if (r.command) lines.push(`command: ${r.command}`);
  for (const [k, v] of Object.entries(r.details ?? {})) lines.push(`${k}: ${v}`);
  for (const w of r.warnings) lines.push(`⚠ ${w}`);
  if (r.pending) lines.push('parameters and metrics: being read');
  return lines.join('\n');
}

// ------------------------------------------------------------------ filter

export interface FilterTerm {
  key?: string;
  op?: '=' | '!=' | '>' | '>=' | '<' | '<=';
  value: string;
}

/** `lr=0.01 val_loss<0.3 resnet`: terms separated by spaces, all must hold. Bare words match name, experiment, id, commit, status. */
export function parseFilter(text: string): FilterTerm[] {
  const terms: FilterTerm[] = [];
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([^<>=!]+?)(>=|<=|!=|==|=|>|<)(.*)$/.exec(tok);
    if (m && m[3] !== '') terms.push({ key: m[1], op: (m[2] === '==' ? '=' : m[2]) as FilterTerm['op'], value: m[3] });
    else terms.push({ value: tok.toLowerCase() });
  }
  return terms;
}

/** The value of `key` in a run's metrics or params: exact key, else the only key ending with `.key` or `/key`. */
function lookup<T>(map: Record<string, T>, key: string): T | undefined {
  if (key in map) return map[key];
  const hits = Object.keys(map).filter((k) => k.endsWith(`.${key}`) || k.endsWith(`/${key}`));
  return hits.length === 1 ? map[hits[0]] : undefined;
}

export function matches(r: RunSummary, terms: FilterTerm[]): boolean {
  return terms.every((t) => {
    if (!t.key || !t.op) {
      const hay = [r.name, r.experiment, r.id, r.gitCommit, r.status, SOURCE_LABELS[r.source]].filter(Boolean).join(' ').toLowerCase();
      return hay.includes(t.value);
    }
    const metric = lookup(r.metrics, t.key);
    const param = lookup(r.params, t.key);
    const target = Number(t.value);
    const numeric =
      metric !== undefined && metric !== null
        ? metric
        : typeof param === 'number'
          ? param
          : typeof param === 'string' && param.trim() !== '' && Number.isFinite(Number(param))
            ? Number(param)
            : undefined;
    switch (t.op) {
      case '=':
      case '!=': {
        let eq: boolean;
        if (numeric !== undefined && Number.isFinite(target)) eq = numeric === target;
        else if (param !== undefined) eq = String(param) === t.value;
        else if (metric !== undefined) eq = false;
        else return t.op === '!=';
        return t.op === '=' ? eq : !eq;
      }
      default:
        if (numeric === undefined || !Number.isFinite(target)) return false;
        return t.op === '>' ? numeric > target : t.op === '>=' ? numeric >= target : t.op === '<' ? numeric < target : numeric <= target;
    }
  });
}

// ------------------------------------------------------------------ sort

export function sortRuns(runs: RunSummary[], sort: SortSpec): RunSummary[] {
  const out = [...runs];
  const time = (r: RunSummary) => r.startTime ?? -Infinity;
  if (sort.by === 'newest') out.sort((a, b) => time(b) - time(a) || compareNames(a.name, b.name));
  else if (sort.by === 'oldest') out.sort((a, b) => time(a) - time(b) || compareNames(a.name, b.name));
  else {
    const v = (r: RunSummary) => {
      const x = r.metrics[sort.metric];
      return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
    };
    out.sort((a, b) => {
      const x = v(a);
      const y = v(b);
      if (x === undefined && y === undefined) return time(b) - time(a);
      if (x === undefined) return 1; // runs without the metric go last
      if (y === undefined) return -1;
      return sort.order === 'asc' ? x - y : y - x;
    });
  }
  return out;
}

/**
 * The list after a change notification that carries the changed runs: `changed` replace the runs with their ids (or
 * are new), `removed` ids go; the order stays newest first (the changed runs merged in at their place).
 */
export function patchRuns(runs: RunSummary[], changed: RunSummary[], removed: string[]): RunSummary[] {
  const gone = new Set([...removed, ...changed.map((r) => r.id)]);
  const kept = runs.filter((r) => !gone.has(r.id));
  const fresh = [...changed].sort((a, b) => (b.startTime ?? -Infinity) - (a.startTime ?? -Infinity));
  const merged: RunSummary[] = [];
  let i = 0;
  for (const r of kept) {
    while (i < fresh.length && (fresh[i].startTime ?? -Infinity) > (r.startTime ?? -Infinity)) merged.push(fresh[i++]);
    merged.push(r);
  }
  while (i < fresh.length) merged.push(fresh[i++]);
  return merged;
}

/** Every metric key any run has, for the sort picker. */
export function metricKeys(runs: RunSummary[]): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.metrics)) keys.add(k);
  return [...keys].sort();
}

export function describeSort(sort: SortSpec): string {
  return sort.by === 'newest' ? 'newest first' : sort.by === 'oldest' ? 'oldest first' : `${sort.metric} ${sort.order === 'asc' ? 'ascending' : 'descending'}`;
}

// ------------------------------------------------------------------ tree

/**
 * Source -> experiment -> run. Sources in a fixed order, experiments by their newest run (or by their best run when
 * sorting by a metric), runs in the sort order. Only sources with matching runs appear.
 */
export function buildTree(
  all: RunSummary[],
  filter: string,
  sort: SortSpec,
  notes: readonly string[] = [],
): { roots: RunNode[]; shown: number; total: number } {
  const terms = parseFilter(filter);
  const kept = terms.length ? all.filter((r) => matches(r, terms)) : all;
  const sorted = sortRuns(kept, sort);
  // MLflow child runs (`mlflow.parentRunId`) go under their parent when it is shown too, in the sort order
  const children = new Map<string, RunSummary[]>();
  let shownIds: Set<string> | undefined;
  for (const r of sorted) {
    if (!r.parentId) continue;
    shownIds ??= new Set(sorted.map((x) => x.id));
    if (!shownIds.has(r.parentId) || r.parentId === r.id) continue;
    const list = children.get(r.parentId) ?? [];
    children.set(r.parentId, list);
    list.push(r);
  }
  const bySource = new Map<RunSource, Map<string, RunSummary[]>>();
  for (const r of sorted) {
    if (r.parentId && shownIds?.has(r.parentId) && r.parentId !== r.id) continue; // shown under its parent
    const exps = bySource.get(r.source) ?? new Map<string, RunSummary[]>();
    bySource.set(r.source, exps);
    const key = r.experiment ?? '(no experiment)';
    const list = exps.get(key) ?? [];
    exps.set(key, list);
    list.push(r);
  }
  const roots: RunNode[] = [];
  for (const source of SOURCE_ORDER) {
    const exps = bySource.get(source);
    if (!exps) continue;
    // Map keeps insertion order: the experiment of the first (best) run comes first
    const expNodes: RunNode[] = [...exps].map(([exp, runs]) => experimentNode(source, exp, runs, children));
    let n = 0;
    for (const l of exps.values()) for (const r of l) n += 1 + countChildren(r.id, children);
    roots.push({
      kind: 'source',
      id: `source:${source}`,
      source,
      label: SOURCE_LABELS[source],
      description: `${n} run${n === 1 ? '' : 's'}`,
      children: expNodes,
    });
  }
  const noteNodes: RunNode[] = notes.map((text, i) => ({ kind: 'note', id: `note:${i}:${text.slice(0, 80)}`, label: text, description: '', tooltip: text }));
  return { roots: [...noteNodes, ...roots], shown: kept.length, total: all.length };
}

function countChildren(id: string, children: Map<string, RunSummary[]>, depth = 0): number {
  const kids = children.get(id);
  if (!kids || depth > 20) return 0;
  let n = kids.length;
  for (const k of kids) n += countChildren(k.id, children, depth + 1);
  return n;
}

/** An experiment's run nodes are made when it is first expanded: the first level of 10,000 runs makes none. */
function experimentNode(source: RunSource, exp: string, runs: RunSummary[], children: Map<string, RunSummary[]>): RunNode {
  let made: RunNode[] | undefined;
  const all: RunSummary[] = [];
  const collect = (list: RunSummary[], depth: number) => {
    for (const r of list) {
      all.push(r);
      const kids = children.get(r.id);
      if (kids && depth < 20) collect(kids, depth + 1);
    }
  };
  if (children.size) collect(runs, 0);
  return {
    kind: 'experiment',
    id: `exp:${source}:${exp}`,
    label: exp,
    description: countOf(children.size ? all : runs),
    get children() {
      return (made ??= runs.map((r) => runNode(r, children)));
    },
  };
}

function countOf(runs: RunSummary[]): string {
  const running = runs.filter((r) => r.status === 'running').length;
  return `${runs.length} run${runs.length === 1 ? '' : 's'}${running ? `, ${running} running` : ''}`;
}

/** The description shown next to any node's label. */
export function nodeDescription(node: RunNode): string {
  if (node.kind !== 'run') return node.description;
  const n = node.childRuns?.length;
  return n ? `${runDescription(node.run)} · ${n} child run${n === 1 ? '' : 's'}` : runDescription(node.run);
}

export function runNode(r: RunSummary, children?: Map<string, RunSummary[]>): RunNode {
  const node: Extract<RunNode, { kind: 'run' }> = { kind: 'run', id: `run:${r.workspaceFolder ?? ''}:${r.id}`, run: r, label: r.name };
  const kids = children?.get(r.id);
  if (kids?.length) {
    node.childRuns = kids;
    node.childMap = children;
  }
  return node;
}

/** What a run node expands to: its sections, then its child runs (MLflow nested runs), each with its own children. */
export function runNodeChildren(node: Extract<RunNode, { kind: 'run' }>): RunNode[] {
  const out = runChildren(node.run);
  for (const c of node.childRuns ?? []) out.push(runNode(c, node.childMap));
  return out;
}

/** What a run expands to: parameters, final metrics, details, warnings. */
export function runChildren(r: RunSummary): RunNode[] {
  const base = `run:${r.workspaceFolder ?? ''}:${r.id}`;
  const out: RunNode[] = [];
  const np = Object.keys(r.params).length;
  const nm = Object.keys(r.metrics).length;
  const nd = Object.keys(r.details ?? {}).length;
  if (r.warnings.length)
    out.push({ kind: 'section', id: `${base}:warnings`, label: 'Warnings', description: String(r.warnings.length), section: 'warnings', run: r });
  out.push({ kind: 'section', id: `${base}:params`, label: 'Parameters', description: String(np), section: 'params', run: r });
  out.push({ kind: 'section', id: `${base}:metrics`, label: 'Metrics', description: String(nm), section: 'metrics', run: r });
  if (nd) out.push({ kind: 'section', id: `${base}:details`, label: 'Details', description: String(nd), section: 'details', run: r });
  return out;
}

export function sectionChildren(node: Extract<RunNode, { kind: 'section' }>): RunNode[] {
  const r = node.run;
  const base = `${node.id}:`;
  const item = (key: string, value: string): RunNode => ({
    kind: 'value',
    id: base + key,
    label: key,
    description: value,
    tooltip: `${key} = ${value}`,
    run: r,
    key,
    section: node.section,
  });
  switch (node.section) {
    case 'params':
      return Object.keys(r.params)
        .sort()
        .map((k) => item(k, formatValue(r.params[k])));
    case 'metrics':
      return Object.keys(r.metrics)
        .sort()
        .map((k) => item(k, formatValue(r.metrics[k])));
    case 'details':
      return Object.entries(r.details ?? {}).map(([k, v]) => item(k, v));
    case 'warnings':
      return r.warnings.map((w, i) => ({
        kind: 'value',
        id: `${base}${i}`,
        label: w,
        description: '',
        tooltip: w,
        run: r,
        key: String(i),
        section: 'warnings',
      }));
  }
}

/** contextValue of a run item: the actions its data allows (menus test these words). */
export function runContext(r: RunSummary): string {
  // not read yet: offer every action (each reads the run first and says when the run lacks what it needs)
  if (r.pending) return 'run config folder command log history pending';
  const words = ['run'];
  if (r.configFile) words.push('config');
  if (r.folder) words.push('folder');
  if (r.command) words.push('command');
  if (r.logFile) words.push('log');
  if (r.historyMetrics?.length) words.push('history');
  return words.join(' ');
}
