import ignore, { type Ignore } from 'ignore';

/** A pattern of an ignore file that the matcher could not compile, by its 0-based line. */
export interface SkippedPattern {
  line: number;
  pattern: string;
  message: string;
}

/**
 * Compiles the patterns of a .gitignore-like file (.gitignore, .dvcignore, .dockerignore, `exclude`) with the `ignore`
 * package, skipping the patterns it cannot compile. The package turns each pattern into a regular expression on first
 * use, and one 50,000-character line stopped the whole check with "Regular expression too large" (git itself matches
 * patterns without regular expressions, so the file is valid for git). Each pattern is compiled once alone here: the
 * package compiles lazily, so a failure would otherwise surface at some later test of some path.
 */
export function compileIgnore(text: string | readonly string[]): { ig: Ignore; skipped: SkippedPattern[] } {
  // git splits on \n and drops one \r before it (the package does the same)
  const lines = typeof text === 'string' ? text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)) : [...text];
  const skipped: SkippedPattern[] = [];
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    // a negated pattern is only consulted for ignored paths: probe its positive form
    const probe = line.startsWith('!') ? line.slice(1) : line;
    try {
      ignore().add(probe).test('probe');
      kept.push(line);
    } catch (e) {
      skipped.push({
        line: i,
        pattern: line,
        message: String((e as Error)?.message ?? e)
          .split('\n')[0]
          .replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''),
      });
    }
  }
  return { ig: ignore().add(kept), skipped };
}
