import { z } from 'zod';

/** Flags DVC accepts on an out (dvc/output.py); `checkpoint` is legacy but still read. */
const outFlags = {
  cache: z.boolean().optional(),
  persist: z.boolean().optional(),
  remote: z.string().optional(),
  push: z.boolean().optional(),
  checkpoint: z.boolean().optional(),
  desc: z.string().optional(),
  type: z.string().optional(),
  labels: z.array(z.string()).optional(),
  meta: z.unknown().optional(),
};
const hashFields = {
  md5: z.string().optional(),
  etag: z.string().optional(),
  checksum: z.string().optional(),
  version_id: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  nfiles: z.number().int().nonnegative().optional(),
  isexec: z.boolean().optional(),
  hash: z.literal('md5').optional(),
  cloud: z.unknown().optional(),
  files: z.array(z.unknown()).optional(),
};

/** An out of a `.dvc` file: `path` plus the recorded hash and the flags. */
export const dvcOutSchema = z.strictObject({ path: z.string(), ...hashFields, ...outFlags });
/** A dep of a `.dvc` file (imports: `repo: {url, rev, rev_lock}`; import-url: a URL path). */
export const dvcDepSchema = z.looseObject({
  path: z.string(),
  ...hashFields,
  repo: z.looseObject({ url: z.string(), rev: z.string().optional(), rev_lock: z.string().optional() }).optional(),
});

/** A `.dvc` file [dvc/stage/utils.py, dvc/output.py]. */
export const dvcFileSchema = z.strictObject({
  outs: z.array(dvcOutSchema).optional(),
  deps: z.array(dvcDepSchema).optional(),
  md5: z.string().optional(),
  cmd: z.union([z.string(), z.array(z.string())]).optional(),
  wdir: z.string().optional(),
  frozen: z.boolean().optional(),
  always_changed: z.boolean().optional(),
  desc: z.string().optional(),
  meta: z.unknown().optional(),
});

const lockEntry = z.strictObject({ path: z.string(), ...hashFields });
/** dvc.lock, schema 2.0 [dvc/schema.py LOCKFILE_SCHEMA]. */
export const dvcLockSchema = z.strictObject({
  schema: z.literal('2.0'),
  stages: z.record(
    z.string(),
    z.strictObject({
      cmd: z.union([z.string(), z.array(z.string())]),
      deps: z.array(lockEntry).optional(),
      params: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
      outs: z.array(lockEntry).optional(),
      frozen: z.boolean().optional(),
    }),
  ),
});
