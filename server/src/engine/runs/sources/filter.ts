/**
 * The Runs view's filter (`resnet lr=0.01 val_loss<0.3`, client/src/runs/model.ts parseFilter: same grammar) written in
 * the query languages of the tracking services, so a server filters its 10,000 runs instead of sending them all:
 * - MLflow: a search filter, expressions joined by AND (no OR): `params.lr = '0.01' AND metrics.val_loss < 0.3`.
 * - W&B: MongoDB-like filters on runs: `{"$and": [{"config.lr.value": 0.01}, {"summary_metrics.val_loss": {"$lt": 0.3}}]}`.
 * A term the language cannot express as the view means it (a bare word matches name OR experiment OR commit...) is not
 * sent; the view's own matching runs on what comes back, so the result is the same, only the transfer is smaller.
 */
export interface FilterTerm {
  key?: string;
  op?: '=' | '!=' | '>' | '>=' | '<' | '<=';
  value: string;
}

export function parseFilterTerms(text: string): FilterTerm[] {
  const terms: FilterTerm[] = [];
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([^<>=!]+?)(>=|<=|!=|==|=|>|<)(.*)$/.exec(tok);
    if (m && m[3] !== '') terms.push({ key: m[1], op: (m[2] === '==' ? '=' : m[2]) as FilterTerm['op'], value: m[3] });
    else terms.push({ value: tok.toLowerCase() });
  }
  return terms;
}

const STATUS = new Set(['running', 'scheduled', 'finished', 'failed', 'killed']);

/** A name in backticks when it is not a plain identifier (MLflow: "enclose the entity name in double quotes or backticks"). */
function mlflowName(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : '`' + key.replace(/`/g, '') + '`';
}

function sqlString(v: string): string {
  return `'${v.replace(/'/g, "\\'")}'`;
}

/**
 * The MLflow filter string of a view filter and the terms left to the view. `status=failed` -> `attributes.status =
 * 'FAILED'`; `name=x` -> `attributes.run_name = 'x'`; `k=v`/`k!=v` -> params (MLflow params are strings);
 * `k<x`, `k>=x` with a number -> metrics; bare words and anything else stay with the view.
 */
export function toMlflowFilter(text: string | undefined): { filter: string; unsent: FilterTerm[] } {
  const parts: string[] = [];
  const unsent: FilterTerm[] = [];
  for (const t of parseFilterTerms(text ?? '')) {
    if (!t.key || !t.op) {
      // a bare status word is unambiguous enough: the view matches it against the status too, but also the name
      unsent.push(t);
      continue;
    }
    const key = t.key.replace(/^(params|metrics|tags)\./, '');
    const kind = /^(params|metrics|tags)\./.exec(t.key)?.[1];
    if ((t.key === 'status' || t.key === 'state') && (t.op === '=' || t.op === '!=') && STATUS.has(t.value.toLowerCase())) {
      parts.push(`attributes.status ${t.op} ${sqlString(t.value.toUpperCase())}`);
    } else if ((t.key === 'name' || t.key === 'run_name') && (t.op === '=' || t.op === '!=')) {
      parts.push(`attributes.run_name ${t.op} ${sqlString(t.value)}`);
    } else if ((t.op === '=' || t.op === '!=') && kind !== 'metrics') {
      parts.push(`${kind ?? 'params'}.${mlflowName(key)} ${t.op} ${sqlString(t.value)}`);
    } else if (t.op !== '=' && t.op !== '!=' && Number.isFinite(Number(t.value)) && (kind === undefined || kind === 'metrics')) {
      parts.push(`metrics.${mlflowName(key)} ${t.op} ${Number(t.value)}`);
    } else unsent.push(t);
  }
  return { filter: parts.join(' AND '), unsent };
}

const MONGO_OPS: Record<string, string> = { '!=': '$ne', '>': '$gt', '>=': '$gte', '<': '$lt', '<=': '$lte' };

/**
 * W&B's run filters (MongoDB-like, as the public API's `runs(filters=...)` takes them): config values live at
 * `config.<key>.value`, summary metrics at `summary_metrics.<key>`, the state at `state`, the name at `display_name`.
 */
export function toWandbFilters(text: string | undefined): { filters: Record<string, unknown> | undefined; unsent: FilterTerm[] } {
  const and: Record<string, unknown>[] = [];
  const unsent: FilterTerm[] = [];
  for (const t of parseFilterTerms(text ?? '')) {
    if (!t.key || !t.op) {
      unsent.push(t);
      continue;
    }
    const num = Number(t.value);
    const value: unknown = t.value !== '' && Number.isFinite(num) ? num : t.value === 'true' ? true : t.value === 'false' ? false : t.value;
    const cond = (v: unknown) => (t.op === '=' ? v : { [MONGO_OPS[t.op!]]: v });
    if ((t.key === 'status' || t.key === 'state') && (t.op === '=' || t.op === '!=') && STATUS.has(t.value.toLowerCase()))
      and.push({ state: cond(t.value.toLowerCase()) });
    else if ((t.key === 'name' || t.key === 'display_name') && (t.op === '=' || t.op === '!=')) and.push({ display_name: cond(t.value) });
    else if (t.op === '=' || t.op === '!=') and.push({ [`config.${t.key.replace(/^config\./, '')}.value`]: cond(value) });
    else if (typeof value === 'number') and.push({ [`summary_metrics.${t.key.replace(/^summary\./, '')}`]: cond(value) });
    else unsent.push(t);
  }
  return { filters: and.length ? { $and: and } : undefined, unsent };
}
