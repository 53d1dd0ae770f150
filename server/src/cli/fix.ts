import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine, Finding, Fix, Workspace } from '../engine';
import { planFixes } from '../engine/fixes';

/** Rounds of fixing at most (a fix that keeps proposing itself must not loop for ever; ruff stops at 100). */
const MAX_ROUNDS = 10;

export interface FixOutcome {
  /** Every fix applied, with the finding it fixed (positions as they were in its round). */
  applied: { finding: Finding; fix: Fix }[];
  /** Workspace-relative path -> its text before the first fix and after the last (undefined before: created). */
  changed: Map<string, { before: string | undefined; after: string }>;
}

/**
 * Applies the safe fixes of the findings in rounds, in memory (the files as editor overlays): a round takes the fixes
 * that do not overlap, the engine checks the new texts again, and the next round takes what is left (computed on the
 * new text, so two fixes of one file never clobber each other). Nothing is written here: `writeFixes` does that.
 */
export function fixInMemory(ws: Workspace, engine: Engine, findings: Finding[]): FixOutcome {
  const outcome: FixOutcome = { applied: [], changed: new Map() };
  const current = new Map<string, string>();
  const read = (file: string): string | undefined => {
    if (current.has(file)) return current.get(file);
    if (!ws.exists(file)) return undefined;
    const r = ws.readText(file);
    return r.ok ? r.text : undefined;
  };
  // Files created by a fix exist only as overlays, which rules looking at the disk (`ws.exists`) do not see: a fix that
  // would create one of them again is not taken (the check from disk after writing sees the file).
  const created = new Set<string>();
  const createsAgain = (f: Finding): boolean => !!f.fixes?.some((x) => x.preferred && x.changes.some((c) => c.create && created.has(c.file)));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const plan = planFixes(
      findings.filter((f) => !createsAgain(f)),
      read,
    );
    if (!plan.applied.length) break;
    outcome.applied.push(...plan.applied);
    let listingChanged = false;
    for (const [file, t] of plan.texts) {
      if (!outcome.changed.has(file)) outcome.changed.set(file, { before: t.before, after: t.after });
      outcome.changed.get(file)!.after = t.after;
      current.set(file, t.after);
      if (t.before === undefined && !created.has(file)) {
        created.add(file);
        ws.invalidate(file, 'created');
        listingChanged = true;
      }
      ws.setOverlay(file, t.after);
    }
    engine.update([...plan.texts.keys()], listingChanged);
    findings = engine.allFindings();
  }
  for (const [file, t] of [...outcome.changed]) if (t.before === t.after) outcome.changed.delete(file);
  return outcome;
}

/** Writes the fixed files (creating folders for new ones), keeping each file's mode. */
export function writeFixes(root: string, changed: FixOutcome['changed']): void {
  for (const [file, t] of changed) {
    const abs = path.join(root, file);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const tmp = `${abs}.mlops-hygiene-${process.pid}.tmp`;
    fs.writeFileSync(tmp, t.after);
    try {
      if (t.before !== undefined) fs.chmodSync(tmp, fs.statSync(abs).mode & 0o7777);
      fs.renameSync(tmp, abs);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }
}

/** A unified diff (`diff -u`, `git apply` reads it) of one file, 3 lines of context. */
export function unifiedDiff(file: string, before: string | undefined, after: string): string {
  const a = before === undefined ? [] : splitLines(before);
  const b = splitLines(after);
  // the fixes' edits are local: trim the common head and tail, then an LCS of the middle
  let head = 0;
  while (head < a.length && head < b.length && same(a[head], b[head])) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail], b[b.length - 1 - tail])) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const ops: { op: ' ' | '-' | '+'; line: Line }[] = a.slice(0, head).map((line) => ({ op: ' ' as const, line }));
  ops.push(...lcsOps(am, bm));
  ops.push(...a.slice(a.length - tail).map((line) => ({ op: ' ' as const, line })));
  const out = [`--- ${before === undefined ? '/dev/null' : `a/${file}`}`, `+++ b/${file}`];
  const CONTEXT = 3;
  let i = 0;
  while (i < ops.length) {
    if (ops[i].op === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    // extend the hunk while the next change is within 2 * CONTEXT lines
    for (;;) {
      while (end < ops.length && ops[end].op !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].op === ' ') next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + CONTEXT);
    const hunk = ops.slice(start, stop);
    const aStart = ops.slice(0, start).filter((o) => o.op !== '+').length;
    const bStart = ops.slice(0, start).filter((o) => o.op !== '-').length;
    const aLen = hunk.filter((o) => o.op !== '+').length;
    const bLen = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const o of hunk) {
      out.push(`${o.op}${o.line.text}`);
      if (!o.line.eol) out.push('\\ No newline at end of file');
    }
    i = stop;
  }
  return out.join('\n');
}

interface Line {
  text: string;
  eol: boolean;
}

function splitLines(s: string): Line[] {
  if (!s) return [];
  const parts = s.split('\n');
  const last = parts.pop()!;
  const lines = parts.map((text) => ({ text, eol: true }));
  if (last) lines.push({ text: last, eol: false });
  return lines;
}

function same(x: Line, y: Line): boolean {
  return x.text === y.text && x.eol === y.eol;
}

function lcsOps(a: Line[], b: Line[]): { op: ' ' | '-' | '+'; line: Line }[] {
  // a plain LCS table: the middle left after trimming is a few lines for the fixes' local edits
  if (a.length * b.length > 4_000_000) return [...a.map((line) => ({ op: '-' as const, line })), ...b.map((line) => ({ op: '+' as const, line }))];
  const t: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) t[i][j] = same(a[i], b[j]) ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const ops: { op: ' ' | '-' | '+'; line: Line }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && same(a[i], b[j])) {
      ops.push({ op: ' ', line: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || t[i + 1][j] >= t[i][j + 1])) ops.push({ op: '-', line: a[i++] });
    else ops.push({ op: '+', line: b[j++] });
  }
  return ops;
}
