import type { DvcPipeline } from './index';
import type { LockStage } from './dvcLock';
import { joinRel, type DvcStage } from './dvcYaml';
import { getPath, pyEqual, type PyValue } from './values';

/** A stage command as one string (a list `cmd` runs its commands in turn). */
export function cmdText(c: string | string[] | undefined): string {
  return Array.isArray(c) ? c.join(' && ') : (c ?? '');
}

export interface ParamChange {
  /** Workspace-relative params file. */
  file: string;
  key: string;
  now: PyValue | undefined;
  then: PyValue | undefined;
  state: 'changed' | 'new' | 'deleted';
}

/**
 * Each params value of a stage whose current value differs from dvc.lock (or is new, or is gone), compared with
 * Python's `==` as DVC does. Params files that cannot be read are left out (the caller says why).
 */
export function changedParams(p: DvcPipeline, s: DvcStage, locked: LockStage): ParamChange[] {
  const out: ParamChange[] = [];
  const lockedKeys = new Set<string>();
  for (const [f, keys] of locked.params) {
    const pf = p.params(joinRel(s.wdir, f));
    if (!pf.ok) continue;
    for (const [key, { value }] of keys) {
      lockedKeys.add(`${joinRel(s.wdir, f)}\u0000${key}`);
      const cur = getPath(pf.value, key);
      if (!cur.found) out.push({ file: pf.file, key, now: undefined, then: value, state: 'deleted' });
      else if (!pyEqual(cur.value, value)) out.push({ file: pf.file, key, now: cur.value, then: value, state: 'changed' });
    }
  }
  for (const ref of s.params) {
    if (ref.key === undefined || lockedKeys.has(`${ref.file}\u0000${ref.key}`)) continue;
    const pf = p.params(ref.file);
    if (!pf.ok) continue;
    const cur = getPath(pf.value, ref.key);
    if (cur.found) out.push({ file: ref.file, key: ref.key, now: cur.value, then: undefined, state: 'new' });
  }
  return out;
}
