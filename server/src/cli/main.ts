import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type * as EngineModule from '../engine';
import type { Severity } from '../engine';
import type * as RunsModule from '../engine/runs';
import type * as DvcStatusModule from './dvcStatus';
import type * as StatPoolModule from '../engine/dvc/data/statPool';
import type * as DvcDataModule from '../engine/dvc/data';
import type * as StageStatusModule from '../engine/rules/dvc/stageStatus';
import type * as JsonFormat from './format/json';
import type * as RunsFormat from './format/runs';
import type * as RemoteRunsModule from './remoteRuns';
import type * as HintsModule from '../engine/runs/sources/hints';
import type * as FixModule from './fix';
import type * as GithubFormat from './format/github';
import type * as SarifFormat from './format/sarif';
import type * as TextFormat from './format/text';
import { VERSION } from './version';

// Each command loads the modules it uses when it runs (the bundle initialises a module on its first require): a command
// does not pay for the start-up of the others (rules, schemas, formats), and `dvc-status` starts its worker threads
// before it loads the engine.
const engine = (): typeof EngineModule => require('../engine');

const USAGE = `mlops-hygiene ${VERSION}: checks ML projects for reproducibility and hygiene problems.

Usage:
  mlops-hygiene check [path] [--format text|json|sarif|github] [--fail-on error|warning|info|hint|never]
                      [--select CODES] [--ignore CODES] [--config FILE] [--output FILE] [--no-git]
                      [--fix | --diff] [--statistics] [--color] [--dvc-status [--cache-dir DIR]]
      --fix             apply the safe fixes (the editor's preferred quick fixes), then report what is left
      --diff            print the safe fixes as a unified diff, write nothing (exit 1 when there are some)
      --statistics      only the number of findings per rule ([*]: --fix can fix some)
      --dvc-status      also hash the DVC-tracked data and report stages out of date with it (DVC066),
                        as dvc-status does; hashes are cached outside the repository (--cache-dir)
      --config FILE     read the settings from FILE (a mlops-hygiene.toml, or a pyproject.toml's
                        [tool.mlops-hygiene]) instead of the project's own
      --format github   GitHub workflow commands: annotations on the pull request's diff
      Colours on a terminal only; NO_COLOR turns them off, FORCE_COLOR or --color on.
  mlops-hygiene rules [CODE]            list the rules, or print one rule's doc
  mlops-hygiene runs [path] [--format table|json] [--params a,b] [--metrics x,y] [--no-git]
                    [--mlflow URI] [--wandb ENTITY/PROJECT]
                                        list the runs found on disk (Hydra, W&B, MLflow, Lightning, DVC experiments),
                                        and those of an MLflow tracking server (--mlflow, else MLFLOW_TRACKING_URI) and
                                        of a W&B project (key: WANDB_API_KEY or ~/.netrc); exit 1 when one fails
  mlops-hygiene dvc-status [path] [--format text|json] [--cache-dir DIR] [--no-git]
                                        the DVC status (.dvc files, dvc.lock) without dvc: exit 0 in sync, 1 changes
  mlops-hygiene --version | --help

Exit codes: 0 no finding at or above --fail-on (default: error), 1 findings at or above it, 2 usage or I/O error.
Configuration: mlops-hygiene.toml, or [tool.mlops-hygiene] in pyproject.toml (select, ignore, extend-ignore, severity,
exclude, extend-exclude, per-file-ignores). Suppress in a file: # mlops-hygiene: ignore[CODE] -- reason (this line or
the next), # mlops-hygiene: ignore-file[CODE] (the whole file).`;

/** A user-facing error: printed without a stack, exit code 2. */
class UsageError extends Error {}

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  err: (s: string) => void = (s) => process.stderr.write(s + '\n'),
  term: Terminal = { isTTY: !!process.stdout.isTTY, env: process.env, cwd: process.cwd() },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest, out, err, term);
      case 'rules':
        return rules(rest, out);
      case 'runs':
        return await runs(rest, out, err, term);
      case 'dvc-status': {
        const pool = (require('../engine/dvc/data/statPool') as typeof StatPoolModule).StatPool.start();
        return await (require('./dvcStatus') as typeof DvcStatusModule).dvcStatusCommand(rest, out, (m) => new UsageError(m), pool);
      }
      case '--version':
      case '-V':
        out(VERSION);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'. Run 'mlops-hygiene --help'.`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`mlops-hygiene: ${(e as Error).message}`);
      return 2;
    }
    err(`mlops-hygiene: internal error: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
}

function codes(v: string | undefined): string[] | undefined {
  return v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

/** How the CLI sees its terminal (tests pass their own). */
export interface Terminal {
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const FORMATS = ['text', 'json', 'sarif', 'github'];

async function check(args: string[], out: (s: string) => void, err: (s: string) => void, term: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      select: { type: 'string' },
      ignore: { type: 'string' },
      config: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'no-git': { type: 'boolean', default: false },
      color: { type: 'boolean', default: false },
      fix: { type: 'boolean', default: false },
      diff: { type: 'boolean', default: false },
      statistics: { type: 'boolean', default: false },
      'dvc-status': { type: 'boolean', default: false },
      'cache-dir': { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new UsageError('check takes one path');
  const root = path.resolve(term.cwd, positionals[0] ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${root} is not a folder`);
  const format = values.format!;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be text, json, sarif or github, not '${format}'`);
  const failOn = values['fail-on']!;
  if (!['error', 'warning', 'info', 'hint', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, info, hint or never`);
  if (values.fix && values.diff) throw new UsageError('--fix and --diff exclude each other: --diff shows what --fix would write');

  const { ALL_RULES, Engine, SEVERITY_RANK, Workspace } = engine();
  const cli = { select: codes(values.select), ignore: codes(values.ignore) };
  const layers: EngineModule.SettingsInput[] = [cli];
  if (values.config) layers.unshift(readConfigFile(path.resolve(term.cwd, values.config), new Set(ALL_RULES.map((r) => r.code))));
  const load = async () => {
    const ws = await Workspace.load(root, { useGit: !values['no-git'] });
    // --fix and --diff re-check after each round of fixes (engine.update); a plain check runs once
    const incremental = !!(values.fix || values.diff);
    const timing = !!term.env.MLOPS_HYGIENE_TIMING;
    return { ws, engine: new Engine(ws, ALL_RULES, layers, { readProjectConfig: !values.config, incremental, timing }) };
  };
  let { ws, engine: eng } = await load();
  let findings = eng.checkAll();

  if (values.fix || values.diff) {
    const { fixInMemory, unifiedDiff, writeFixes } = require('./fix') as typeof FixModule;
    const outcome = fixInMemory(ws, eng, findings);
    if (values.diff) {
      const diffs = [...outcome.changed].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, t]) => unifiedDiff(file, t.before, t.after));
      if (diffs.length) out(diffs.join('\n'));
      err(
        outcome.applied.length
          ? `${outcome.applied.length} fix${outcome.applied.length === 1 ? '' : 'es'} would be applied to ${outcome.changed.size} file${outcome.changed.size === 1 ? '' : 's'} (run with --fix to write them).`
          : 'No safe fixes to apply.',
      );
      return outcome.changed.size ? 1 : 0;
    }
    writeFixes(root, outcome.changed);
    for (const { finding: f, fix } of outcome.applied) err(`fixed ${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code}: ${fix.title}`);
    // what is left, checked again from disk (the files as written)
    ({ ws, engine: eng } = await load());
    findings = eng.checkAll();
    err(
      `${outcome.applied.length} fix${outcome.applied.length === 1 ? '' : 'es'} applied to ${outcome.changed.size} file${outcome.changed.size === 1 ? '' : 's'}; ${findings.length} finding${findings.length === 1 ? '' : 's'} left.`,
    );
  }

  if (values['dvc-status']) {
    // DVC066: the stage status, hashing the data as `dvc-status` does (opt-in: it reads every tracked file once, then
    // answers from the hash cache)
    const { dataStatus, defaultCacheDir } = require('../engine/dvc/data') as typeof DvcDataModule;
    const { stageStatusReports } = require('../engine/rules/dvc/stageStatus') as typeof StageStatusModule;
    const status = await dataStatus(ws, { cacheDir: values['cache-dir'] ?? defaultCacheDir() });
    eng.setBackgroundReports('dvc-status', stageStatusReports(ws, status));
    findings = eng.allFindings();
    for (const n of status.notes) err(`note: ${n}`);
  }

  const { countByRule, formatStatistics, formatSummary, formatText, useColor } = require('./format/text') as typeof TextFormat;
  const { safeFix } = engine();
  const counts = countByRule(findings, ALL_RULES, (f) => !!safeFix(f));
  const color = useColor({ flag: values.color, env: term.env, isTTY: term.isTTY, toFile: !!values.output });
  // the checked folder from the repository's root (GitHub's paths start there)
  const fromRepo = path
    .relative(term.env.GITHUB_WORKSPACE || term.cwd, root)
    .split(path.sep)
    .join('/');
  let text: string;
  if (values.statistics) text = format === 'json' ? JSON.stringify(counts, null, 2) : counts.length ? formatStatistics(counts, { color }) : 'No findings.';
  else if (format === 'json') text = (require('./format/json') as typeof JsonFormat).formatJson(findings, root);
  else if (format === 'sarif') text = (require('./format/sarif') as typeof SarifFormat).formatSarif(findings, ALL_RULES, VERSION, lineTextOf(ws), fromRepo);
  else if (format === 'github') text = (require('./format/github') as typeof GithubFormat).formatGithub(findings, fromRepo);
  else {
    const files = new Set(findings.map((f) => f.file)).size;
    text = [formatText(findings, { color }), formatSummary(findings, files, counts, { color })].filter(Boolean).join('\n');
  }
  if (values.output) fs.writeFileSync(values.output, text + '\n');
  else if (text) out(text);
  for (const note of ws.listingNotes) err(`note: ${note}`);
  if (eng.timings) err(formatTimings(eng.timings));
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn as Severity];
  return findings.some((f) => SEVERITY_RANK[f.severity] <= threshold) ? 1 : 0;
}

/** MLOPS_HYGIENE_TIMING=1: the 15 slowest rules, as ESLint's TIMING=1 prints them. */
export function formatTimings(timings: ReadonlyMap<string, { ms: number; calls: number }>): string {
  const rows = [...timings].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((n, [, t]) => n + t.ms, 0);
  const lines = rows
    .slice(0, 15)
    .map(
      ([code, t]) => `${code.padEnd(8)} ${t.ms.toFixed(1).padStart(9)} ${((100 * t.ms) / (total || 1)).toFixed(1).padStart(6)}% ${String(t.calls).padStart(8)}`,
    );
  return [`${'Rule'.padEnd(8)} ${'Time (ms)'.padStart(9)} ${'Share'.padStart(7)} ${'Calls'.padStart(8)}`, ...lines, `all rules: ${total.toFixed(1)} ms`].join(
    '\n',
  );
}

/** A line of a checked file, for SARIF's fingerprints ('' when the file has no text). */
function lineTextOf(ws: EngineModule.Workspace): (file: string, line: number) => string {
  const lines = new Map<string, string[]>();
  return (file, line) => {
    if (!lines.has(file)) {
      const r = ws.exists(file) ? ws.readText(file) : undefined;
      lines.set(file, r?.ok ? r.text.split(/\r?\n|\r/) : []);
    }
    return lines.get(file)![line] ?? '';
  };
}

/**
 * `--config FILE`: the settings of a mlops-hygiene.toml (its top level) or of a pyproject.toml ([tool.mlops-hygiene]).
 * A mistake in it is a usage error (exit 2), with its position: the file may be outside the checked folder, where no
 * finding can point.
 */
function readConfigFile(file: string, known: Set<string>): EngineModule.SettingsInput {
  const { TomlDocument, settingsFromToml, settingsTable } = engine();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const doc = new TomlDocument(text);
  if (!doc.value) throw new UsageError(`${file}:${(doc.error?.range.start.line ?? 0) + 1}: TOML syntax error: ${doc.error?.message ?? 'unreadable'}`);
  const { input, problems } = settingsFromToml(doc, known, settingsTable(path.basename(file)));
  if (problems.length) throw new UsageError(problems.map((p) => `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`).join('\n'));
  return input;
}

async function runs(args: string[], out: (s: string) => void, err: (s: string) => void, term: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'table' },
      params: { type: 'string' },
      metrics: { type: 'string' },
      'no-git': { type: 'boolean', default: false },
      mlflow: { type: 'string' },
      wandb: { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new UsageError('runs takes one path');
  const root = path.resolve(term.cwd, positionals[0] ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${root} is not a folder`);
  const format = values.format!;
  if (!['table', 'json'].includes(format)) throw new UsageError(`--format must be table or json, not '${format}'`);
  let { runs: list, notes } = await (require('../engine/runs') as typeof RunsModule).listRuns(root, { useGit: !values['no-git'] });
  // remote sources: only those named on the command line or by MLFLOW_TRACKING_URI
  let failed = false;
  if (values.mlflow || values.wandb || term.env.MLFLOW_TRACKING_URI) {
    const remote = await (require('./remoteRuns') as typeof RemoteRunsModule).fetchRemoteRuns(
      { mlflow: values.mlflow, wandb: values.wandb, env: term.env },
      list,
    );
    list = remote.local.concat(remote.runs).sort((a, b) => (b.startTime ?? -Infinity) - (a.startTime ?? -Infinity));
    notes = notes.concat(remote.notes);
    for (const e of remote.errors) err(`error: ${e}`);
    failed = remote.errors.length > 0;
  } else if (format === 'table') {
    // nothing configured: say where the code logs its runs (not contacted)
    const { Workspace } = engine();
    const { findTrackingHints } = require('../engine/runs/sources/hints') as typeof HintsModule;
    for (const h of findTrackingHints(await Workspace.load(root, { useGit: !values['no-git'] })))
      notes.push(
        h.kind === 'mlflow'
          ? `${h.file}:${h.line} logs runs to the MLflow server ${h.value}: add --mlflow ${h.value} to list them`
          : `${h.file}:${h.line} logs runs to the W&B project ${h.value.startsWith('/') ? `<entity>${h.value}` : h.value}: add --wandb ${h.value.startsWith('/') ? `<entity>${h.value}` : h.value} to list them`,
      );
  }
  const { formatRunsTable } = require('./format/runs') as typeof RunsFormat;
  if (format === 'json') out(JSON.stringify({ runs: list, notes }, null, 2));
  else if (!list.length)
    out(
      'No runs found (looked in Hydra outputs/ and multirun/ or the configured hydra.run.dir, wandb/, mlruns/, mlflow.db, lightning_logs/, DVC experiment refs).',
    );
  else {
    out(formatRunsTable(list, codes(values.params) ?? [], codes(values.metrics) ?? []));
    for (const r of list) for (const w of r.warnings) err(`warning: ${r.source} ${r.name}: ${w}`);
  }
  for (const n of notes) err(`note: ${n}`);
  return failed ? 1 : 0;
}

function rules(args: string[], out: (s: string) => void): number {
  const { ALL_RULES, findRule, renderRuleDoc } = engine();
  if (args[0]) {
    const rule = findRule(args[0]);
    if (!rule) throw new UsageError(`no rule '${args[0]}'. Run 'mlops-hygiene rules' for the list.`);
    out(renderRuleDoc(rule));
    return 0;
  }
  const width = Math.max(...ALL_RULES.map((r) => r.name.length));
  for (const r of ALL_RULES) out(`${r.code}  ${r.name.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.title}${r.optIn ? ' (opt-in)' : ''}`);
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
