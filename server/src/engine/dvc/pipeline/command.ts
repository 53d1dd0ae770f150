/**
 * Reads stage commands the way a POSIX shell splits them (DVC runs `cmd` through the shell): words with quotes and
 * backslash escapes, commands separated by `&&`, `||`, `;`, `|` and newlines. Only what is needed to find the script
 * a command runs; anything unusual (substitutions, globs) makes the word "dynamic" and it is never checked.
 */
export interface Word {
  text: string;
  /** Contains `$`, backquotes, globs or `~`: its value is only known when the shell runs. */
  dynamic: boolean;
  /** Written with quotes somewhere. */
  quoted: boolean;
  /** The word as written (for backslash checks). */
  raw: string;
}

export function splitCommands(cmd: string): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let cur = '';
  let raw = '';
  let dynamic = false;
  let quoted = false;
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push({ text: cur, dynamic, quoted, raw });
    cur = raw = '';
    dynamic = quoted = inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (c === '#' && !inWord) {
      // a comment runs to the end of the line
      while (i + 1 < cmd.length && cmd[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      if (cmd[i + 1] === '\n') {
        i++;
        continue;
      }
      inWord = true;
      raw += c + (cmd[i + 1] ?? '');
      cur += cmd[i + 1] ?? '';
      i++;
      continue;
    }
    if (c === "'") {
      const end = cmd.indexOf("'", i + 1);
      const part = end < 0 ? cmd.slice(i + 1) : cmd.slice(i + 1, end);
      cur += part;
      raw += cmd.slice(i, end < 0 ? cmd.length : end + 1);
      inWord = quoted = true;
      i = end < 0 ? cmd.length : end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let part = '';
      while (j < cmd.length && cmd[j] !== '"') {
        if (cmd[j] === '\\' && j + 1 < cmd.length && '"\\$`'.includes(cmd[j + 1])) {
          part += cmd[j + 1];
          j += 2;
          continue;
        }
        if (cmd[j] === '$' || cmd[j] === '`') dynamic = true;
        part += cmd[j++];
      }
      cur += part;
      raw += cmd.slice(i, j + 1);
      inWord = quoted = true;
      i = j;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      continue;
    }
    // `2>&1`, `>&2`, `&>log`, `|&` are redirections, not separators
    const redirect = c === '&' && (cmd[i - 1] === '>' || cmd[i - 1] === '<' || cmd[i + 1] === '>');
    if (!redirect && (c === '\n' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')')) {
      endCommand();
      if ((c === '&' || c === '|') && cmd[i + 1] === c) i++;
      continue;
    }
    if (c === '$' || c === '`' || c === '*' || c === '?' || (c === '~' && !inWord)) dynamic = true;
    cur += c;
    raw += c;
    inWord = true;
  }
  endCommand();
  return commands;
}

const RUNNERS = [
  ['uv', 'run'],
  ['poetry', 'run'],
  ['pipenv', 'run'],
  ['pdm', 'run'],
  ['rye', 'run'],
  ['hatch', 'run'],
  ['conda', 'run'],
  ['micromamba', 'run'],
  ['mamba', 'run'],
];
const PY = /^(python|python3|python3\.\d+|py|pythonw)$/;
const INTERPRETERS: Record<string, RegExp> = {
  bash: /^(bash|sh|zsh|dash|ksh)$/,
  R: /^Rscript$/,
  julia: /^julia$/,
  node: /^(node|deno|bun)$/,
  perl: /^perl$/,
  ruby: /^ruby$/,
};

/** What a command runs: a script file (relative path as written) or a Python module, if it is one of the known forms. */
export type Invocation = { kind: 'script'; path: string; word: Word } | { kind: 'module'; module: string; word: Word };

export function invocationOf(words: Word[]): Invocation | undefined {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].text)) i++; // VAR=value prefixes
  if (words[i]?.text === 'env') {
    i++;
    while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].text) || words[i].text.startsWith('-'))) i++;
  }
  for (const r of RUNNERS) {
    if (words[i]?.text === r[0] && words[i + 1]?.text === r[1]) {
      i += 2;
      // runner options (`conda run -n env`, `uv run --with x`): skip flags and their values conservatively
      while (i < words.length && words[i].text.startsWith('-'))
        i += /^-(n|p|-name|-prefix|-with|-extra|-group|-python|-project|-directory)$/.test(words[i].text) ? 2 : 1;
      break;
    }
  }
  const head = words[i];
  if (!head || head.dynamic) return undefined;
  const exe = head.text.split('/').pop()!;
  if (PY.test(exe)) {
    let j = i + 1;
    while (j < words.length) {
      const w = words[j].text;
      if (w === '-m') return words[j + 1] && !words[j + 1].dynamic ? { kind: 'module', module: words[j + 1].text, word: words[j + 1] } : undefined;
      if (w === '-c' || w === '-' || w === '--version' || w === '-V' || w === '-h' || w === '--help') return undefined;
      if (w.startsWith('-m') && w.length > 2) return { kind: 'module', module: w.slice(2), word: words[j] };
      if (w === '-W' || w === '-X' || w === '--check-hash-based-pycs') {
        j += 2;
        continue;
      }
      if (w.startsWith('-')) {
        j++;
        continue;
      }
      return scriptWord(words[j]);
    }
    return undefined;
  }
  for (const re of Object.values(INTERPRETERS)) {
    if (re.test(exe)) {
      let j = i + 1;
      while (j < words.length && words[j].text.startsWith('-')) {
        if (words[j].text === '-c' || words[j].text === '-e' || words[j].text === '--eval') return undefined;
        j++;
      }
      return words[j] ? scriptWord(words[j]) : undefined;
    }
  }
  // ./run.sh, scripts/prepare.sh
  if ((head.text.startsWith('./') || head.text.startsWith('../') || (head.text.includes('/') && !head.text.startsWith('/'))) && /\.\w+$/.test(head.text))
    return scriptWord(head);
  return undefined;
}

function scriptWord(w: Word): Invocation | undefined {
  if (w.dynamic || !w.text || w.text.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(w.text) || w.raw.includes('\\')) return undefined;
  return { kind: 'script', path: w.text, word: w };
}
