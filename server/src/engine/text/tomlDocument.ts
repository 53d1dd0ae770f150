import { parse, TomlError } from 'smol-toml';
import type { Range } from '../types';
import { TextIndex } from './textIndex';

/**
 * A TOML file (pyproject.toml): the parsed value from smol-toml, plus a line index so that findings can point at the
 * line of a table or key (smol-toml keeps no positions, so keys are located in the text).
 */
export class TomlDocument {
  readonly index: TextIndex;
  readonly value: Record<string, unknown> | undefined;
  readonly error?: { message: string; range: Range };

  constructor(readonly text: string) {
    this.index = new TextIndex(text);
    try {
      this.value = parse(text) as Record<string, unknown>;
    } catch (e) {
      this.value = undefined;
      if (e instanceof TomlError) {
        const line = Math.max(0, e.line - 1);
        const character = Math.max(0, e.column - 1);
        this.error = { message: e.message.split('\n')[0], range: { start: { line, character }, end: { line, character: this.index.lineText(line).length } } };
      } else {
        this.error = { message: String(e), range: this.index.lineRange(0) };
      }
    }
  }

  /** Value at a dotted path of tables and keys, e.g. ['tool', 'mlops-hygiene', 'ignore']. */
  get(pathParts: string[]): unknown {
    let v: unknown = this.value;
    for (const p of pathParts) {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[p];
    }
    return v;
  }

  /** Line range of a table header `[a.b]` (or `[[a.b]]`). */
  tableRange(table: string): Range | undefined {
    const re = new RegExp(`^\\s*\\[\\[?\\s*${escapeRe(table).replace(/\\\./g, '\\s*\\.\\s*')}\\s*\\]\\]?\\s*(#.*)?$`);
    for (let i = 0; i < this.index.lineCount; i++) if (re.test(this.index.lineText(i))) return this.index.lineRange(i);
    return undefined;
  }

  /** Range of `key = ...` inside table `table` ('' for the top level), the key's line. */
  keyRange(table: string, key: string): Range | undefined {
    let inTable = table === '';
    const keyRe = new RegExp(`^\\s*(["']?)${escapeRe(key)}\\1\\s*=`);
    for (let i = 0; i < this.index.lineCount; i++) {
      const line = this.index.lineText(i);
      const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
      if (header) {
        inTable = header[1].replace(/\s*\.\s*/g, '.').replace(/"/g, '') === table;
        continue;
      }
      if (inTable && keyRe.test(line)) {
        const start = line.search(/\S/);
        return { start: { line: i, character: start }, end: { line: i, character: line.length } };
      }
    }
    return undefined;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
