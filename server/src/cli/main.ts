import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type * as EngineModule from '../engine';
import type { Severity } from '../engine';
import type * as RunsModule from '../engine/runs';
import type * as DvcStatusModule from './dvcStatus';
import type * as StatPoolModule from '../engine/dvc/data/statPool';
import type * as JsonFormat from './format/json';
import type * as RunsFormat from './format/runs';
import type * as SarifFormat from './format/sarif';
import type * as TextFormat from './format/text';
import { VERSION } from './version';

// Each command loads the modules it uses when it runs (the bundle initialises a module on its first require): a command
// does not pay for the start-up of the others (rules, schemas, formats), and `dvc-status` starts its worker threads
// before it loads the engine.
const engine = (): typeof EngineModule => require('../engine');

const USAGE = `mlops-hygiene ${VERSION}: checks ML projects for reproducibility and hygiene problems.

Usage:
  mlops-hygiene check [path] [--format text|json|sarif] [--fail-on error|warning|info|hint|never]
                      [--select CODES] [--ignore CODES] [--output FILE] [--no-git]
  mlops-hygiene rules [CODE]            list the rules, or print one rule's doc
  mlops-hygiene runs [path] [--format table|json] [--params a,b] [--metrics x,y] [--no-git]
                                        list the runs found on disk (Hydra, W&B, MLflow, Lightning, DVC experiments)
  mlops-hygiene dvc-status [path] [--format text|json] [--cache-dir DIR] [--no-git]
                                        the DVC status (.dvc files, dvc.lock) without dvc: exit 0 in sync, 1 changes
  mlops-hygiene --version | --help

Exit codes: 0 no finding at or above --fail-on (default: error), 1 findings at or above it, 2 usage or I/O error.
Configuration: [tool.mlops-hygiene] in pyproject.toml (select, ignore, severity, exclude).`;

/** A user-facing error: printed without a stack, exit code 2. */
class UsageError extends Error {}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n'), err: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest, out, err);
      case 'rules':
        return rules(rest, out);
      case 'runs':
        return await runs(rest, out, err);
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
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

async function check(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      select: { type: 'string' },
      ignore: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'no-git': { type: 'boolean', default: false },
      color: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw new UsageError('check takes one path');
  const root = path.resolve(positionals[0] ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${root} is not a folder`);
  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  const failOn = values['fail-on']!;
  if (!['error', 'warning', 'info', 'hint', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, info, hint or never`);

  const { ALL_RULES, Engine, SEVERITY_RANK, Workspace } = engine();
  const ws = await Workspace.load(root, { useGit: !values['no-git'] });
  const findings = new Engine(ws, ALL_RULES, [{ select: codes(values.select), ignore: codes(values.ignore) }]).checkAll();
  const files = new Set(findings.map((f) => f.file)).size;
  let text: string;
  if (format === 'json') text = (require('./format/json') as typeof JsonFormat).formatJson(findings, root);
  else if (format === 'sarif') text = (require('./format/sarif') as typeof SarifFormat).formatSarif(findings, ALL_RULES, VERSION);
  else {
    const { formatText, summaryLine } = require('./format/text') as typeof TextFormat;
    text = [formatText(findings, { color: values.color }), summaryLine(findings, files)].filter(Boolean).join('\n');
  }
  if (values.output) fs.writeFileSync(values.output, text + '\n');
  else out(text);
  for (const note of ws.listingNotes) err(`note: ${note}`);
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn as Severity];
  return findings.some((f) => SEVERITY_RANK[f.severity] <= threshold) ? 1 : 0;
}

async function runs(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'table' },
      params: { type: 'string' },
      metrics: { type: 'string' },
      'no-git': { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw new UsageError('runs takes one path');
  const root = path.resolve(positionals[0] ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${root} is not a folder`);
  const format = values.format!;
  if (!['table', 'json'].includes(format)) throw new UsageError(`--format must be table or json, not '${format}'`);
  const { runs: list, notes } = await (require('../engine/runs') as typeof RunsModule).listRuns(root, { useGit: !values['no-git'] });
  const { formatRunsTable } = require('./format/runs') as typeof RunsFormat;
  if (format === 'json') out(JSON.stringify({ runs: list, notes }, null, 2));
  else if (!list.length) out('No runs found (looked in Hydra outputs/ and multirun/ or the configured hydra.run.dir, wandb/, mlruns/, mlflow.db, lightning_logs/, DVC experiment refs).');
  else {
    out(formatRunsTable(list, codes(values.params) ?? [], codes(values.metrics) ?? []));
    for (const r of list) for (const w of r.warnings) err(`warning: ${r.source} ${r.name}: ${w}`);
  }
  for (const n of notes) err(`note: ${n}`);
  return 0;
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
