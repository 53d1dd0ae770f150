import type { FileContext } from '../../rule';
import type { Fix, Range } from '../../types';
import { dockerignoreFor, dockerignoreMatcher } from '../../docker/dockerfile';

/**
 * Whether the checked Dockerfile's `.dockerignore` keeps a workspace path out of the build context (Docker's semantics,
 * relative to the context), once per pass for the rules that ask (DKR001, DKR002).
 */
export function excludedFromContext(ctx: FileContext, d: { context: string }): { ignoreFile?: string; excluded: (rel: string) => boolean } {
  return ctx.memo(`docker-excluded:${ctx.file}`, () => {
    const ignoreFile = dockerignoreFor(ctx.ws, ctx.file, d.context);
    const igText = ignoreFile ? ctx.ws.readText(ignoreFile) : undefined;
    const inContext = dockerignoreMatcher(igText?.ok ? igText.text : '');
    return { ignoreFile, excluded: (rel: string): boolean => inContext(d.context ? rel.slice(d.context.length + 1) : rel) };
  });
}

/** A fix that inserts text right after a range (adding a flag to a command). */
export function insertAfter(file: string, range: Range, text: string, title: string): Fix {
  return { title, changes: [{ file, edits: [{ range: { start: range.end, end: range.end }, newText: text }] }], preferred: true };
}

export function span(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}
