import type { FileContext } from '../../rule';
import type { Fix, Range } from '../../types';
import { buildContext, parseDockerfile, type ParsedDockerfile } from '../../docker/dockerfile';

/** The checked Dockerfile, parsed once per pass, with its build context folder. */
export function dockerfileOf(ctx: FileContext): { p: ParsedDockerfile; context: string } | undefined {
  return ctx.memo(`docker:${ctx.file}`, () => {
    const r = ctx.text();
    if (!r.ok) return undefined;
    const p = parseDockerfile(r.text);
    return { p, context: buildContext(ctx.ws, ctx.file, p) };
  });
}

/** A fix that inserts text right after a range (adding a flag to a command). */
export function insertAfter(file: string, range: Range, text: string, title: string): Fix {
  return { title, changes: [{ file, edits: [{ range: { start: range.end, end: range.end }, newText: text }] }], preferred: true };
}

export function span(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}
