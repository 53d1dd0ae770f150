import * as lsp from 'vscode-languageserver';
import { z } from 'zod';

/**
 * The server's boundary: every message a client sends is checked against the shape the server relies on before any
 * handler sees it. A request with wrong params is answered with InvalidParams; a notification with wrong params is
 * logged and ignored; a handler that throws is logged (notifications) or answered with InternalError (requests). The
 * server never exits on client input (issue 19: a `didOpen` whose `text` was a number terminated it).
 *
 * `guard(connection)` returns the same connection whose `on...` registrations wrap their handler. A handler for a method
 * without a schema here is logged ("no params schema for ...") and a test of the boundary fails on that line.
 */

// LSP's `uinteger` is 0..2^31-1; `integer` is -2^31..2^31-1.
const uinteger = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
const integer = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1);
const uri = z.string().max(64 * 1024);
const position = z.looseObject({ line: uinteger, character: uinteger });
const range = z.looseObject({ start: position, end: position });
const docId = z.looseObject({ uri });
const positionParams = z.looseObject({ textDocument: docId, position });
const optional = <T extends z.ZodType>(t: T) => t.nullish();
const anyObject = z.looseObject({});
/** A run the client sends (the table's tracking-server runs): what the table and the W&B merge read of it. */
const wireRun = z.looseObject({
  id: z.string(),
  name: z.string(),
  source: optional(z.enum(['hydra', 'wandb', 'mlflow', 'lightning', 'dvc-exp'])),
  status: optional(z.enum(['running', 'finished', 'failed', 'killed', 'unknown'])),
  experiment: optional(z.string()),
  startTime: optional(z.number()),
  durationMs: optional(z.number()),
  params: optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  metrics: optional(z.record(z.string(), z.union([z.number(), z.null()]))),
  warnings: optional(z.array(z.string())),
  details: optional(z.record(z.string(), z.string())),
  historyMetrics: optional(z.array(z.string())),
  parentId: optional(z.string()),
});

// The versioning requests: what each handler reads of its params (plans come back as the server sent them).
const folder = z.string().min(1);
const dvcCommand = z.looseObject({ file: z.string().min(1), prefixArgs: z.array(z.string()), via: z.string(), version: z.string() });
const trackedRef = z.looseObject({ file: z.string().min(1), path: optional(z.string()) });
const dataVersion = z.looseObject({ path: z.string(), file: z.string(), hash: z.string() });
const strings = z.array(z.string());

const SCHEMAS: Record<string, z.ZodType> = {
  initialize: z.looseObject({
    capabilities: anyObject,
    rootUri: optional(uri),
    workspaceFolders: optional(z.array(z.looseObject({ uri, name: z.string() }))),
  }),
  initialized: z.unknown(),
  'workspace/didChangeConfiguration': z.unknown(),
  'workspace/didChangeWatchedFiles': z.looseObject({ changes: z.array(z.looseObject({ uri, type: z.union([z.literal(1), z.literal(2), z.literal(3)]) })) }),
  'textDocument/didOpen': z.looseObject({ textDocument: z.looseObject({ uri, languageId: z.string(), version: integer, text: z.string() }) }),
  'textDocument/didChange': z.looseObject({
    textDocument: z.looseObject({ uri, version: integer }),
    contentChanges: z.array(
      z.union([
        z.looseObject({ range, rangeLength: optional(uinteger), text: z.string() }),
        z.looseObject({ text: z.string(), range: z.undefined().optional(), rangeLength: z.undefined().optional() }),
      ]),
    ),
  }),
  'textDocument/didClose': z.looseObject({ textDocument: docId }),
  'textDocument/didSave': z.looseObject({ textDocument: docId, text: optional(z.string()) }),
  'textDocument/willSave': z.looseObject({ textDocument: docId, reason: integer }),
  'textDocument/willSaveWaitUntil': z.looseObject({ textDocument: docId, reason: integer }),
  'textDocument/hover': positionParams,
  'textDocument/definition': positionParams,
  'textDocument/completion': positionParams,
  'textDocument/codeAction': z.looseObject({
    textDocument: docId,
    range,
    context: z.looseObject({ diagnostics: z.array(z.looseObject({ range, message: z.string(), source: optional(z.string()), data: z.unknown() })) }),
  }),
  'mlopsHygiene/ruleDoc': z.looseObject({ code: z.string() }),
  'mlopsHygiene/recheck': z.unknown(),
  'mlopsHygiene/workspace/layout': z.unknown(),
  'mlopsHygiene/dvc/status': optional(z.looseObject({ folder: optional(z.string()), workDoneToken: optional(z.union([z.string(), integer])) })),
  'mlopsHygiene/dvc/tracked': z.looseObject({ folder: z.string() }),
  'mlopsHygiene/runs/list': optional(z.looseObject({ folder: optional(z.string()), complete: optional(z.boolean()) })),
  'mlopsHygiene/runs/details': z.looseObject({ ids: z.array(z.string()) }),
  'mlopsHygiene/runs/history': z.looseObject({ ids: z.array(z.string()), metrics: optional(z.array(z.string())) }),
  'mlopsHygiene/runs/trackingHints': optional(z.looseObject({})),
  'mlopsHygiene/runs/table': optional(
    z.looseObject({
      folder: optional(z.string()),
      ids: optional(z.array(z.string())),
      remote: optional(z.array(z.looseObject({ runs: z.array(wireRun), wandbProject: optional(z.string()), complete: optional(z.boolean()) }))),
    }),
  ),
  'mlopsHygiene/versioning/locateDvc': z.looseObject({ dvcPath: optional(z.string()), pythonPath: optional(z.string()) }),
  'mlopsHygiene/versioning/planTag': z.looseObject({
    folder,
    bump: z.enum(['major', 'minor', 'patch']),
    prefix: optional(z.string()),
    run: optional(z.looseObject({ id: z.string(), source: z.string(), params: z.record(z.string(), z.unknown()), metrics: z.record(z.string(), z.unknown()) })),
    commit: optional(z.string()),
    note: optional(z.string()),
    checkData: optional(z.boolean()),
  }),
  'mlopsHygiene/versioning/createTag': z.looseObject({
    plan: z.looseObject({ folder, tag: z.string().min(1), commit: z.string().min(1), message: z.string(), uncommitted: strings }),
    allowDirty: optional(z.boolean()),
  }),
  'mlopsHygiene/versioning/pushTag': z.looseObject({ folder, tag: z.string().min(1), remote: z.string().min(1) }),
  'mlopsHygiene/versioning/planTrack': z.looseObject({ folder, target: z.string().min(1) }),
  'mlopsHygiene/versioning/track': z.looseObject({ plan: z.looseObject({ folder, target: z.string().min(1) }), dvc: dvcCommand }),
  'mlopsHygiene/versioning/dataCommand': z.looseObject({
    folder,
    verb: z.enum(['push', 'pull', 'checkout', 'status', 'fetch']),
    targets: strings,
    dvc: dvcCommand,
  }),
  'mlopsHygiene/versioning/dataHistory': z.looseObject({ folder, ref: trackedRef }),
  'mlopsHygiene/versioning/planRestore': z.looseObject({ folder, ref: trackedRef, commit: z.string().min(1) }),
  'mlopsHygiene/versioning/restore': z.looseObject({
    plan: z.looseObject({ folder, file: z.string().min(1), path: z.string().min(1), commit: z.string().min(1), target: dataVersion, changes: strings }),
    dvc: dvcCommand,
  }),
  'mlopsHygiene/versioning/planSnapshot': z.looseObject({ folder, title: optional(z.string()) }),
  'mlopsHygiene/versioning/commitSnapshot': z.looseObject({ plan: z.looseObject({ folder, files: strings, message: z.string() }) }),
  'mlopsHygiene/versioning/planStructure': z.looseObject({ folder }),
  'mlopsHygiene/versioning/applyStructure': z.looseObject({
    plan: z.looseObject({
      folder,
      actions: z.array(
        z.looseObject({
          kind: z.enum(['mkdir', 'create', 'append']),
          path: z.string().min(1),
          reason: z.string(),
          content: optional(z.string()),
          entries: optional(strings),
        }),
      ),
      skipped: strings,
    }),
  }),
  'mlopsHygiene/versioning/initDvc': z.looseObject({ folder, dvc: dvcCommand }),
  'workspace/didChangeWorkspaceFolders': z.looseObject({
    event: z.looseObject({ added: z.array(z.looseObject({ uri, name: z.string() })), removed: z.array(z.looseObject({ uri, name: z.string() })) }),
  }),
};

/** Methods registered without a schema here (their params pass unchecked; the boundary test keeps this empty). */
export const UNCHECKED_METHODS = new Set<string>();

/** The typed registrations of `lsp.Connection` and the method each one handles. */
const REGISTRATIONS: Record<string, { method: string; kind: 'request' | 'notification' }> = {
  onInitialize: { method: 'initialize', kind: 'request' },
  onInitialized: { method: 'initialized', kind: 'notification' },
  onDidChangeConfiguration: { method: 'workspace/didChangeConfiguration', kind: 'notification' },
  onDidChangeWatchedFiles: { method: 'workspace/didChangeWatchedFiles', kind: 'notification' },
  onDidOpenTextDocument: { method: 'textDocument/didOpen', kind: 'notification' },
  onDidChangeTextDocument: { method: 'textDocument/didChange', kind: 'notification' },
  onDidCloseTextDocument: { method: 'textDocument/didClose', kind: 'notification' },
  onDidSaveTextDocument: { method: 'textDocument/didSave', kind: 'notification' },
  onWillSaveTextDocument: { method: 'textDocument/willSave', kind: 'notification' },
  onWillSaveTextDocumentWaitUntil: { method: 'textDocument/willSaveWaitUntil', kind: 'request' },
  onHover: { method: 'textDocument/hover', kind: 'request' },
  onDefinition: { method: 'textDocument/definition', kind: 'request' },
  onCompletion: { method: 'textDocument/completion', kind: 'request' },
  onCodeAction: { method: 'textDocument/codeAction', kind: 'request' },
};

/** Why `params` does not fit `method`'s schema (short: paths and messages, never the values), or undefined. */
export function invalidParams(method: string, params: unknown): string | undefined {
  const schema = SCHEMAS[method];
  if (!schema) return undefined; // registered without a schema: logged once at registration (UNCHECKED_METHODS)
  const r = schema.safeParse(params);
  if (r.success) return undefined;
  return r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'params'}: ${i.message}`)
    .join('; ');
}

type Handler = (...args: unknown[]) => unknown;

export function guard(connection: lsp.Connection): lsp.Connection {
  const log = (msg: string): void => {
    try {
      connection.console.warn(`mlops-hygiene: ${msg}`);
    } catch {
      /* the connection is gone */
    }
  };
  const wrap = (method: string, kind: 'request' | 'notification', handler: Handler): Handler => {
    // a handler another change added without a schema must not stop the server from starting (it did once, after a
    // merge): its params pass unchecked, the server logs it, and the boundary test fails until a schema is added
    if (!SCHEMAS[method] && !UNCHECKED_METHODS.has(method)) {
      UNCHECKED_METHODS.add(method);
      setImmediate(() => log(`no params schema for ${method}: its params are not checked (add one in server/src/lsp/boundary.ts)`));
    }
    return (...args: unknown[]) => {
      const why = invalidParams(method, args[0]);
      if (why) {
        if (kind === 'request') return new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, `invalid params for ${method}: ${why}`);
        log(`ignored ${method} with invalid params: ${why}`);
        return undefined;
      }
      const failed = (e: unknown): unknown => {
        log(`${method} failed: ${(e as Error)?.stack ?? String(e)}`);
        return kind === 'request' ? new lsp.ResponseError(lsp.ErrorCodes.InternalError, `${method} failed: ${(e as Error)?.message ?? String(e)}`) : undefined;
      };
      try {
        const r = handler(...args);
        return r instanceof Promise ? r.catch(failed) : r;
      } catch (e) {
        return failed(e);
      }
    };
  };
  const methodOf = (type: unknown): string | undefined =>
    typeof type === 'string' ? type : ((type as { method?: unknown } | undefined)?.method as string | undefined);
  return new Proxy(connection, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      const reg = REGISTRATIONS[prop];
      if (reg) return (handler: Handler) => (value as Handler).call(target, wrap(reg.method, reg.kind, handler));
      if (prop === 'onRequest' || prop === 'onNotification') {
        const kind = prop === 'onRequest' ? 'request' : 'notification';
        return (type: unknown, handler: Handler) => {
          const method = methodOf(type);
          if (!method || typeof handler !== 'function') throw new Error(`mlops-hygiene: ${prop} needs a method and a handler`);
          return (value as Handler).call(target, type, wrap(method, kind, handler));
        };
      }
      return value;
    },
  });
}
