import type { Engine } from '../engine';
import { hydraFeature } from './hydra';
import { dvcFeature } from './dvc';
import type { Position, Range } from '../types';
import type { Workspace } from '../workspace';
import { redactSecrets } from '../secrets/detector';

/**
 * Editor features beyond diagnostics (hover, go to definition, completion), as plain data: the language server maps
 * them to LSP. A family adds its features to FEATURES below, next to its rules.
 */
export interface FeatureContext {
  ws: Workspace;
  engine: Engine;
  /** Workspace-relative path of the document. */
  file: string;
  position: Position;
}

export interface HoverResult {
  markdown: string;
  range?: Range;
}

export interface LocationResult {
  file: string;
  range: Range;
}

export interface CompletionResult {
  label: string;
  detail?: string;
  documentation?: string;
  insertText?: string;
  kind?: 'property' | 'value' | 'file' | 'module' | 'function';
  /** Range the completion replaces (defaults to the word at the cursor). */
  range?: Range;
}

export interface EditorFeature {
  name: string;
  appliesTo(rel: string): boolean;
  hover?(ctx: FeatureContext): HoverResult | undefined;
  definition?(ctx: FeatureContext): LocationResult[];
  completion?(ctx: FeatureContext): CompletionResult[];
}

export const FEATURES: EditorFeature[] = [];
// Hydra/OmegaConf: hover shows an interpolation's value and origin, go to definition, key completion inside ${
FEATURES.push(hydraFeature);
// dvc.yaml: definition from dep/out paths and params keys, params hover (value now and in dvc.lock), params completion
FEATURES.push(dvcFeature);

function run<T>(ctx: Omit<FeatureContext, never>, pick: (f: EditorFeature) => ((c: FeatureContext) => T) | undefined): T[] {
  const out: T[] = [];
  for (const f of FEATURES) {
    const fn = pick(f);
    if (!fn || !f.appliesTo(ctx.file)) continue;
    try {
      out.push(fn.call(f, ctx));
    } catch {
      /* a feature's failure yields nothing rather than breaking the request */
    }
  }
  return out;
}

/** Hovers quote values (a resolved interpolation, a param now and in dvc.lock): secrets among them are redacted. */
export function hoverAt(ctx: FeatureContext): HoverResult[] {
  return run(ctx, (f) => f.hover)
    .filter((h): h is HoverResult => !!h)
    .map((h) => ({ ...h, markdown: redactSecrets(h.markdown) }));
}

export function definitionAt(ctx: FeatureContext): LocationResult[] {
  return run(ctx, (f) => f.definition).flat();
}

export function completionAt(ctx: FeatureContext): CompletionResult[] {
  return run(ctx, (f) => f.completion).flat();
}
