import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { YamlDocument } from '../text/yamlDocument';
import type { Range } from '../types';
import type { ContextBase, FileContext } from '../rule';
import { splitCommands } from '../dvc/pipeline/command';

/** `.github/workflows/<name>.yml|yaml` */
export function isWorkflowFile(rel: string): boolean {
  return rel.startsWith('.github/workflows/') && /^\.github\/workflows\/[^/]+\.ya?ml$/.test(rel);
}

/** A scalar value with its node (for ranges). */
export interface YValue {
  value: string;
  node: Node;
}

export interface Step {
  index: number;
  node: YAMLMap;
  name?: string;
  uses?: YValue;
  run?: YValue;
  with: Map<string, YValue>;
  withPairs: Map<string, Pair>;
  env: Map<string, YValue>;
  envPairs: Map<string, Pair>;
  if?: string;
  continueOnError: boolean;
  /** Filled on first use by stepCommands(). */
  commands?: StepCommand[];
}

export interface Job {
  id: string;
  keyRange: Range;
  node: YAMLMap;
  name?: string;
  needs: string[];
  steps: Step[];
  env: Map<string, YValue>;
  /** Keys the job's strategy.matrix defines; undefined when there is no matrix; 'dynamic' when it is an expression. */
  matrixKeys?: Set<string> | 'dynamic';
  usesWorkflow?: string;
  hasContainer: boolean;
}

export interface Workflow {
  doc: YamlDocument;
  jobs: Job[];
  env: Map<string, YValue>;
  /** The `on:` node. */
  on?: Node;
}

function scalarString(n: unknown): string | undefined {
  if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean')) return String(n.value);
  return undefined;
}

function mapOf(map: unknown): { values: Map<string, YValue>; pairs: Map<string, Pair> } {
  const values = new Map<string, YValue>();
  const pairs = new Map<string, Pair>();
  if (!isMap(map)) return { values, pairs };
  for (const p of map.items) {
    const k = scalarString(p.key);
    if (k === undefined) continue;
    pairs.set(k, p as Pair);
    const v = scalarString(p.value);
    if (v !== undefined) values.set(k, { value: v, node: p.value as Node });
  }
  return { values, pairs };
}

/** Reads the jobs and steps of a workflow, keeping the YAML nodes so that findings point at the exact value. */
export function readWorkflow(doc: YamlDocument): Workflow | undefined {
  const root = doc.rootMap;
  if (!root) return undefined;
  const jobsNode = YamlDocument.pair(root, 'jobs')?.value;
  const jobs: Job[] = [];
  if (isMap(jobsNode)) {
    for (const jp of jobsNode.items) {
      const id = scalarString(jp.key);
      if (id === undefined || !isMap(jp.value)) continue;
      const jm = jp.value as YAMLMap;
      const needsNode = YamlDocument.pair(jm, 'needs')?.value;
      const needs = isSeq(needsNode)
        ? needsNode.items.map(scalarString).filter((x): x is string => !!x)
        : scalarString(needsNode)
          ? [scalarString(needsNode)!]
          : [];
      const steps: Step[] = [];
      const stepsNode = YamlDocument.pair(jm, 'steps')?.value;
      if (isSeq(stepsNode)) {
        stepsNode.items.forEach((s, index) => {
          if (!isMap(s)) return;
          const get = (k: string): YValue | undefined => {
            const v = YamlDocument.pair(s, k)?.value;
            const str = scalarString(v);
            return str === undefined ? undefined : { value: str, node: v as Node };
          };
          const w = mapOf(YamlDocument.pair(s, 'with')?.value);
          const e = mapOf(YamlDocument.pair(s, 'env')?.value);
          steps.push({
            index,
            node: s,
            name: get('name')?.value,
            uses: get('uses'),
            run: get('run'),
            with: w.values,
            withPairs: w.pairs,
            env: e.values,
            envPairs: e.pairs,
            if: get('if')?.value,
            continueOnError: get('continue-on-error')?.value === 'true',
          });
        });
      }
      let matrixKeys: Job['matrixKeys'];
      const strategy = YamlDocument.pair(jm, 'strategy')?.value;
      const matrix = YamlDocument.pair(strategy, 'matrix')?.value;
      if (matrix !== undefined && matrix !== null) {
        if (isMap(matrix)) {
          const keys = new Set<string>();
          let dynamic = false;
          for (const p of matrix.items) {
            const k = scalarString(p.key);
            if (k === undefined) continue;
            if (k === 'include') {
              if (isSeq(p.value)) {
                for (const inc of p.value.items) if (isMap(inc)) for (const ip of inc.items) keys.add(scalarString(ip.key) ?? '');
              } else dynamic = true;
            } else if (k !== 'exclude') keys.add(k);
          }
          matrixKeys = dynamic ? 'dynamic' : keys;
        } else matrixKeys = 'dynamic';
      }
      jobs.push({
        id,
        keyRange: doc.keyRange(jp as Pair),
        node: jm,
        name: scalarString(YamlDocument.pair(jm, 'name')?.value),
        needs,
        steps,
        env: mapOf(YamlDocument.pair(jm, 'env')?.value).values,
        matrixKeys,
        usesWorkflow: scalarString(YamlDocument.pair(jm, 'uses')?.value),
        hasContainer: YamlDocument.pair(jm, 'container') !== undefined,
      });
    }
  }
  return { doc, jobs, env: mapOf(YamlDocument.pair(root, 'env')?.value).values, on: YamlDocument.pair(root, 'on')?.value as Node | undefined };
}

/** Range of `needle` inside a scalar node's source text (block scalars keep their own lines), else the node. */
export function rangeIn(doc: YamlDocument, node: Node, needle: string | RegExp): Range {
  const r = node.range;
  if (!r) return doc.rangeOf(node);
  const src = doc.text.slice(r[0], r[1]);
  let at = -1;
  let len = 0;
  if (typeof needle === 'string') {
    at = src.indexOf(needle);
    len = needle.length;
  } else {
    const m = needle.exec(src);
    if (m) {
      at = m.index;
      len = m[0].length;
    }
  }
  if (at < 0) return doc.rangeOf(node);
  return doc.index.rangeOf(r[0] + at, r[0] + at + len);
}

const SHELL = /^(sh|bash|zsh|dash|ksh)$/;

/**
 * The commands of a `run:` script as the shell splits them (quotes, backslash-newlines, comments, `&&`, `||`, `;`, `|`:
 * the splitter DVC commands use), each as its words written back. The script of `sh -c "a && b"` (also `bash -lc`,
 * after `docker run IMAGE`) is read as the commands `a` and `b`; they run in the container when the wrapping command
 * does. A command is cut at its words, never inside a quoted one.
 */
export function shellCommands(run: string, inContainer = false, depth = 0): { text: string; inContainer: boolean }[] {
  const out: { text: string; inContainer: boolean }[] = [];
  for (const words of splitCommands(run)) {
    const text = words.map((w) => w.raw).join(' ');
    const container = inContainer || CONTAINER.test(text);
    // `sh -c SCRIPT`, `bash -lc SCRIPT`, `docker run IMAGE sh -c SCRIPT`
    const sh =
      depth < 3 ? words.findIndex((w, i) => i + 2 < words.length && SHELL.test(w.text.split('/').pop()!) && /^-[a-z]*c[a-z]*$/.test(words[i + 1].text)) : -1;
    if (sh >= 0) {
      out.push({
        text: words
          .slice(0, sh + 2)
          .map((w) => w.raw)
          .join(' '),
        inContainer: container,
      });
      out.push(...shellCommands(words[sh + 2].text, container, depth + 1));
      continue;
    }
    out.push({ text, inContainer: container });
  }
  return out;
}

/** `owner/repo[/path]@ref` -> parts; undefined for local (`./`) and docker actions. */
export function parseUses(uses: string): { action: string; ref: string; major?: number } | undefined {
  const m = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)(\/[^@]*)?@(.+)$/.exec(uses.trim());
  if (!m) return undefined;
  const major = /^v?(\d+)(\.|$)/.exec(m[3]);
  return { action: m[1].toLowerCase(), ref: m[3], major: major ? Number(major[1]) : undefined };
}

/** Steps before `step` in the same job. */
export function stepsBefore(job: Job, step: Step): Step[] {
  return job.steps.filter((s) => s.index < step.index);
}

export function isScalarNode(n: unknown): n is Scalar {
  return isScalar(n);
}

/**
 * The pip and python of a command line, versioned or not: `pip`, `pip3`, `pip3.11`, `python -m pip`, `python3.12 -m pip`,
 * `py -3.12 -m pip`, `uv pip`, `/opt/venv/bin/pip` (a path in front of the name is allowed).
 */
const PIP = String.raw`(?:^|[\s/])(?:pip(?:\d+(?:\.\d+)?)?|(?:python(?:\d+(?:\.\d+)?)?|py(?:\s+-\d+(?:\.\d+)?)?)\s+-m\s+pip|uv\s+pip)\s+install\b`;
const PIP_INSTALL = new RegExp(PIP + '(.*)$');
const PYTHON_M = String.raw`(?:^|[\s/])(?:python(?:\d+(?:\.\d+)?)?|py(?:\s+-\d+(?:\.\d+)?)?)\s+-m\s+`;

const TEST_RUNNER = new RegExp(
  String.raw`(^|[\s/])(pytest|py\.test)(\s|$)|` +
    PYTHON_M +
    String.raw`(pytest|unittest)\b|\b(tox|nox)(\s|$)|coverage\s+run|\bmake\s+(test|tests|check)\b|\binvoke\s+test|\binv\s+test|\bhatch\s+(run\s+)?test|\bpoe\s+test`,
);

/** Whether a shell command runs the test suite. */
export function runsTests(command: string): boolean {
  if (PIP_INSTALL.test(command) || /\bpipx\s+install\b|\b(poetry|uv)\s+add\b|\bconda\s+install\b/.test(command)) return false; // installing pytest is not running it
  return TEST_RUNNER.test(command);
}

/** Whether a shell command installs dependencies, and what. */
export function installsWhat(command: string): 'project' | 'packages' | undefined {
  if (
    /\buv\s+(sync|run)\b|\bpoetry\s+install|\bpdm\s+(install|sync)|\bpipenv\s+(install|sync)|\bconda\s+(env\s+)?(create|update|install)|\bmamba\s+|\bmicromamba\s+|\bhatch\s+|\b(tox|nox)\b|\bmake\s+\w*(install|requirements|setup|deps|dev)\w*|\binv(oke)?\s+\w*(install|requirements|setup)/.test(
      command,
    )
  )
    return 'project';
  const pip = PIP_INSTALL.exec(command);
  if (!pip) return undefined;
  const rest = pip[1] ?? '';
  if (/(^|\s)(-r|--requirement|-e|--editable|-c)(\s|=|\S)|(^|\s)\.(\[|\s|$)|(^|\s)\.\/|\S+\.(txt|whl)\b|--group/.test(rest)) return 'project';
  return 'packages';
}

/**
 * A command that runs inside a container rather than on the runner: `docker run IMAGE pytest`, `docker exec`,
 * `docker compose run|exec SERVICE ...` (and `docker-compose`, `podman`, `sudo` in front). What it runs was installed
 * by the image (its Dockerfile), not by the job's steps.
 */
const CONTAINER =
  /^(sudo\s+)?(docker|podman|nerdctl)(\s+(--?[\w-]+(=\S+)?|container))*\s+(run|exec)\b|^(sudo\s+)?(docker\s+compose|docker-compose|podman-compose)(\s+--?[\w-]+(=\S+|\s+[^\s-]\S*)?)*\s+(run|exec)\b/;

/** One shell command of a step, as every GHA rule understands it. */
export interface StepCommand {
  text: string;
  /** Runs in a container (docker run/exec, docker compose run/exec): the job's own installs do not apply. */
  inContainer: boolean;
  runsTests: boolean;
  /** What it installs on the runner (never set for a command in a container). */
  installs?: 'project' | 'packages';
}

/** The commands of a step's `run:` script (none for `uses:` steps), read once. */
export function stepCommands(step: Step): StepCommand[] {
  if (!step.run) return [];
  if (step.commands) return step.commands;
  step.commands = shellCommands(step.run.value).map(({ text, inContainer }) => {
    const installs = inContainer ? undefined : installsWhat(text);
    return { text, inContainer, runsTests: runsTests(text), ...(installs ? { installs } : {}) };
  });
  return step.commands;
}

/** The checked workflow, read once per pass. */
export function workflowOf(ctx: FileContext): Workflow | undefined {
  const doc = ctx.yaml();
  if (!doc) return undefined;
  return ctx.memo(`gha:${ctx.file}`, () => readWorkflow(doc));
}

/** Every workflow of the repository (for repository rules and other families: DEP, PRE), with its file. */
export function allWorkflows(ctx: ContextBase): { file: string; wf: Workflow }[] {
  return ctx.memo('gha:all', () => {
    const out: { file: string; wf: Workflow }[] = [];
    for (const rel of [...ctx.ws.paths()].filter(isWorkflowFile).sort()) {
      const doc = ctx.ws.yaml(rel);
      if (!(doc instanceof YamlDocument) || doc.hasErrors) continue;
      const wf = readWorkflow(doc);
      if (wf) out.push({ file: rel, wf });
    }
    return out;
  });
}
