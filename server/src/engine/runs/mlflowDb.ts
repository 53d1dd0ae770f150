import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFile } from '../regularFile';
import type { Database, SqlJsStatic } from 'sql.js';
import type { RunHistorySeries } from '../../../../shared/types';
import type { ReadResult, RunReader } from './types';
import { emptyRun } from './util';
import { mlflowCommand, mlflowStatus } from './mlflow';

/** The SQLite tracking store MLflow 3.7+ creates by default. */
export const MLFLOW_DB = 'mlflow.db';
/** A database larger than this is not loaded into memory (sql.js reads the whole file). */
export const MAX_DB_BYTES = 512 * 1024 * 1024;

let sqlPromise: Promise<SqlJsStatic> | undefined;
/**
 * sql.js, the SQLite engine compiled to WebAssembly (inlined in the JS, so it bundles into one file and needs no native
 * module matching Electron's ABI). Loaded on first use only.
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sqlPromise ??= (require('sql.js/dist/sql-wasm-inline.js') as (cfg?: object) => Promise<SqlJsStatic>)();
  return sqlPromise;
}

type Row = Record<string, unknown>;

function rows(db: Database, sql: string, params: (string | number)[] = []): Row[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const out: Row[] = [];
    while (stmt.step()) out.push(stmt.getAsObject() as Row);
    return out;
  } finally {
    stmt.free();
  }
}

function tableNames(db: Database): Set<string> {
  return new Set(rows(db, "SELECT name FROM sqlite_master WHERE type='table'").map((r) => String(r.name)));
}

/** Opens a copy of the database in memory: the file on disk is never written or locked. */
async function openDb(abs: string): Promise<{ db?: Database; warning?: string }> {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return {};
  }
  if (st.size > MAX_DB_BYTES) return { warning: `${path.basename(abs)} is ${(st.size / 1024 / 1024).toFixed(0)} MB: too large to read in the editor` };
  try {
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readRegularFile(abs));
    tableNames(db); // throws "file is not a database" early
    return { db };
  } catch (e) {
    return { warning: `${path.basename(abs)} could not be read as SQLite: ${(e as Error).message}` };
  }
}

export const mlflowDbReader: RunReader = {
  source: 'mlflow',

  watchPrefixes() {
    return [MLFLOW_DB];
  },

  discover(ctx) {
    const abs = path.join(ctx.root, MLFLOW_DB);
    return fs.existsSync(abs) ? [{ key: `mlflow-db:${MLFLOW_DB}`, source: 'mlflow', path: abs }] : [];
  },

  async read(loc, ctx): Promise<ReadResult> {
    const deps = [loc.path, `${loc.path}-wal`];
    const { db, warning } = await openDb(loc.path);
    if (!db) {
      const r = emptyRun({ id: `${loc.key}#error`, source: 'mlflow', name: MLFLOW_DB, experiment: MLFLOW_DB, folder: ctx.root, workspaceFolder: ctx.root });
      r.warnings.push(warning ?? `${MLFLOW_DB} could not be opened`);
      return { runs: [r], deps };
    }
    try {
      const tables = tableNames(db);
      if (!tables.has('runs') || !tables.has('experiments')) {
        const r = emptyRun({ id: `${loc.key}#error`, source: 'mlflow', name: MLFLOW_DB, experiment: MLFLOW_DB, folder: ctx.root, workspaceFolder: ctx.root });
        r.warnings.push(`${MLFLOW_DB} has no MLflow tables (runs, experiments)`);
        return { runs: [r], deps };
      }
      const exps = new Map<string, { name: string; deleted: boolean }>();
      for (const e of rows(db, 'SELECT experiment_id, name, lifecycle_stage FROM experiments')) {
        exps.set(String(e.experiment_id), { name: String(e.name ?? e.experiment_id), deleted: e.lifecycle_stage === 'deleted' });
      }
      const runCols = new Set(rows(db, "SELECT name FROM pragma_table_info('runs')").map((r) => String(r.name)));
      const nameCol = runCols.has('name') ? 'name' : "''";
      const runs = new Map<string, ReturnType<typeof emptyRun>>();
      const tagsOf = new Map<string, Record<string, string>>();
      const paramsOf = new Map<string, Record<string, string>>();
      for (const r of rows(db, `SELECT run_uuid, ${nameCol} AS name, status, start_time, end_time, lifecycle_stage, experiment_id, user_id FROM runs`)) {
        if (r.lifecycle_stage === 'deleted') continue;
        const exp = exps.get(String(r.experiment_id));
        if (exp?.deleted) continue;
        const id = String(r.run_uuid);
        const run = emptyRun({
          id: `mlflow-db:${id}`,
          source: 'mlflow',
          name: r.name ? String(r.name) : id,
          experiment: exp?.name ?? String(r.experiment_id),
          workspaceFolder: ctx.root,
          details: { runId: id, store: MLFLOW_DB },
        });
        run.status = mlflowStatus(r.status);
        if (typeof r.start_time === 'number') run.startTime = r.start_time;
        if (typeof r.start_time === 'number' && typeof r.end_time === 'number' && r.end_time >= r.start_time) run.durationMs = r.end_time - r.start_time;
        if (r.user_id) run.details!.user = String(r.user_id);
        runs.set(id, run);
      }
      if (tables.has('params')) {
        for (const p of rows(db, 'SELECT run_uuid, key, value FROM params')) {
          const run = runs.get(String(p.run_uuid));
          if (!run) continue;
          run.params[String(p.key)] = p.value === null ? null : String(p.value);
          const m = paramsOf.get(String(p.run_uuid)) ?? {};
          m[String(p.key)] = String(p.value);
          paramsOf.set(String(p.run_uuid), m);
        }
      }
      if (tables.has('tags')) {
        for (const t of rows(db, 'SELECT run_uuid, key, value FROM tags')) {
          const m = tagsOf.get(String(t.run_uuid)) ?? {};
          m[String(t.key)] = String(t.value ?? '');
          tagsOf.set(String(t.run_uuid), m);
        }
      }
      // latest_metrics holds MLflow's own "latest" (max by step, timestamp, value); older databases only have metrics
      const metricTable = tables.has('latest_metrics') ? 'latest_metrics' : tables.has('metrics') ? 'metrics' : undefined;
      if (metricTable) {
        const best = new Map<string, { step: number; ts: number; value: number | null }>();
        for (const m of rows(db, `SELECT run_uuid, key, value, timestamp, step, is_nan FROM ${metricTable}`)) {
          const k = `${m.run_uuid}\u0000${m.key}`;
          const value = m.is_nan ? null : typeof m.value === 'number' && Number.isFinite(m.value) ? m.value : null;
          const cand = { step: Number(m.step ?? 0), ts: Number(m.timestamp ?? 0), value };
          const cur = best.get(k);
          if (
            !cur ||
            cand.step > cur.step ||
            (cand.step === cur.step && (cand.ts > cur.ts || (cand.ts === cur.ts && (cand.value ?? -Infinity) >= (cur.value ?? -Infinity))))
          )
            best.set(k, cand);
        }
        for (const [k, v] of best) {
          const [runId, key] = k.split('\u0000');
          const run = runs.get(runId);
          if (run) run.metrics[key] = v.value;
        }
      }
      const hasHistory = tables.has('metrics');
      for (const [id, run] of runs) {
        const tags = tagsOf.get(id) ?? {};
        if (tags['mlflow.runName'] && run.name === id) run.name = tags['mlflow.runName'];
        if (tags['mlflow.source.git.commit']) run.gitCommit = tags['mlflow.source.git.commit'].trim();
        if (tags['mlflow.source.git.branch']) run.details!.branch = tags['mlflow.source.git.branch'];
        if (tags['mlflow.parentRunId']) {
          run.details!.parentRun = tags['mlflow.parentRunId'];
          run.parentId = `mlflow-db:${tags['mlflow.parentRunId'].trim()}`;
        }
        run.command = mlflowCommand(tags, paramsOf.get(id) ?? {});
        if (hasHistory && Object.keys(run.metrics).length) run.historyMetrics = Object.keys(run.metrics);
      }
      return { runs: [...runs.values()], deps };
    } catch (e) {
      const r = emptyRun({ id: `${loc.key}#error`, source: 'mlflow', name: MLFLOW_DB, experiment: MLFLOW_DB, folder: ctx.root, workspaceFolder: ctx.root });
      r.warnings.push(`${MLFLOW_DB} could not be read: ${(e as Error).message}`);
      return { runs: [r], deps };
    } finally {
      db.close();
    }
  },

  async history(run, metrics, ctx): Promise<RunHistorySeries[]> {
    const runId = run.details?.runId;
    if (!runId) return [];
    const { db } = await openDb(path.join(ctx.root, MLFLOW_DB));
    if (!db) return [];
    try {
      const series = new Map<string, { points: [number, number | null][]; times: number[] }>();
      for (const m of rows(db, 'SELECT key, value, step, timestamp, is_nan FROM metrics WHERE run_uuid = ? ORDER BY step, timestamp', [runId])) {
        const key = String(m.key);
        if (metrics && !metrics.includes(key)) continue;
        const s = series.get(key) ?? { points: [], times: [] };
        series.set(key, s);
        s.points.push([Number(m.step ?? 0), m.is_nan || typeof m.value !== 'number' || !Number.isFinite(m.value) ? null : m.value]);
        s.times.push(Number(m.timestamp ?? 0));
      }
      return [...series].map(([metric, s]) => ({ runId: run.id, metric, points: s.points, times: s.times }));
    } catch {
      return [];
    } finally {
      db.close();
    }
  },
};
