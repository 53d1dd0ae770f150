import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../support/tmp';
import { codeCounts } from '../scenarios';

/** Screenshots and logs of the editor suite: git-ignored, kept as CI artefacts. */
export const ARTEFACTS = path.join(PROJECT_ROOT, 'test-results', 'e2e');

export interface ProblemRow {
  /** The marker's message, as the Problems panel shows it. */
  message: string;
  /** Who reported it (`mlops-hygiene`). */
  source: string;
  /** The marker's code (`GIT001`), if any. */
  code?: string;
  /** File the marker belongs to, as its file row shows it: `<folder>/<name>`, relative to the workspace. */
  file: string;
  /** The file's absolute path (the file row's label). */
  path: string;
  line?: number;
  column?: number;
}

/** What one rendered row of the Problems tree says about itself. */
interface RawProblemRow {
  index: number;
  level: number;
  posinset: number;
  setsize: number;
  expanded: boolean | undefined;
  /** File rows: name, folder, absolute path, count badge. */
  name: string;
  description: string;
  path: string;
  count: number;
  /** Marker rows: message, source, code, position. */
  message: string;
  source: string;
  code: string;
  line?: number;
  column?: number;
}

/** Runs in the page: the Problems panel's rendered rows, as data (field by field, from the panel's own elements). */
function rawProblemRows(all: unknown[]): RawProblemRow[] {
  // (the project compiles without the DOM library: the few DOM members used, typed here)
  interface El {
    getAttribute(name: string): string | null;
    querySelector(selector: string): El | null;
    textContent: string | null;
  }
  const els = all as El[];
  const text = (e: El, sel: string) => (e.querySelector(sel)?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return els.map((e) => {
    const pos = /\[Ln (\d+), Col (\d+)\]/.exec(text(e, '.marker-line'));
    const exp = e.getAttribute('aria-expanded');
    return {
      index: Number(e.getAttribute('data-index')),
      level: Number(e.getAttribute('aria-level')),
      posinset: Number(e.getAttribute('aria-posinset')),
      setsize: Number(e.getAttribute('aria-setsize')),
      expanded: exp === null ? undefined : exp === 'true',
      name: text(e, '.label-name'),
      description: text(e, '.label-description'),
      path: e.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? '',
      count: Number(text(e, '.monaco-count-badge') || 0),
      message: text(e, '.marker-message'),
      source: text(e, '.marker-source'),
      code: text(e, '.marker-code'),
      line: pos ? Number(pos[1]) : undefined,
      column: pos ? Number(pos[2]) : undefined,
    };
  });
}

/**
 * Whether the rows seen so far are the whole tree, from the tree's own numbering: undefined when complete, otherwise
 * what is missing. Rows must have consecutive indexes from 0; under each parent the positions run 1..setsize; a file
 * row must be expanded and have as many markers as its badge says.
 */
function completeness(byIndex: Map<number, RawProblemRow>): string | undefined {
  const rows = [...byIndex.values()].sort((a, b) => a.index - b.index);
  if (!rows.length) return 'no rows';
  const open: { pos: number; size: number; row: RawProblemRow; children: number }[] = [];
  const finish = (o: (typeof open)[number]): string | undefined =>
    o.row.level === 1 && o.children !== o.row.count ? `file ${o.row.name} shows ${o.row.count} problems but ${o.children} marker rows were seen` : undefined;
  const close = (depth: number): string | undefined => {
    while (open.length > depth) {
      const o = open.pop()!;
      if (o.pos !== o.size) return `row ${o.row.index} is item ${o.pos} of ${o.size} at level ${o.row.level}; the next one was not seen`;
      const f = finish(o);
      if (f) return f;
    }
    return undefined;
  };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.index !== i) return `row ${i} was not seen`;
    if (r.level === 1 && r.expanded === false) return `file ${r.name} is collapsed`;
    if (r.level < 1 || r.level > open.length + 1) return `row ${i} has level ${r.level} after a row of level ${open.length}`;
    const gap = close(r.level); // the deeper levels of the previous row are done
    if (gap) return gap;
    const prev = open.length === r.level ? open.pop() : undefined; // the previous sibling
    const done = prev && finish(prev);
    if (done) return done;
    const want = prev ? prev.pos + 1 : 1;
    if (r.posinset !== want) return `row ${i} is item ${r.posinset} at level ${r.level}, expected item ${want}`;
    if (r.level === 2 && open.length) open[open.length - 1].children++;
    open.push({ pos: r.posinset, size: r.setsize, row: r, children: 0 });
  }
  return close(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A VS Code workbench in a browser page, driven as a person would: keyboard shortcuts, the command palette, clicks.
 * Every action of a test runs inside `step(name, ...)`: a screenshot is kept per step, and a failure names the step.
 */
export class Workbench {
  private stepNo = 0;
  readonly dir: string;

  private constructor(
    readonly page: Page,
    suite: string,
  ) {
    this.dir = path.join(ARTEFACTS, slug(suite));
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
  }

  /** Opens `url` (a code-server folder URL) in a new page and waits for the workbench. */
  static async open(browser: Browser, url: string, suite: string, opts: { trust?: 'trusted' | 'restricted' } = {}): Promise<Workbench> {
    // Tall enough that a maximised Problems panel renders every row of the broken example (its list is virtual).
    const page = await browser.newPage({ viewport: { width: 1440, height: 2200 } });
    page.setDefaultTimeout(30_000);
    const wb = new Workbench(page, suite);
    const log = fs.createWriteStream(path.join(wb.dir, 'console.log'));
    page.on('console', (m) => log.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => log.write(`[pageerror] ${e.message}\n`));
    await wb.step('open workbench', async () => {
      // The machine may be busy: generous waits here, so a slow start is not reported as a broken extension.
      await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    });
    if (opts.trust) {
      const answer = opts.trust === 'trusted' ? /Yes, I trust/ : /No, I don.t trust/;
      await wb.step(`answer the workspace trust dialog: ${opts.trust}`, async () => {
        const button = page.locator('.monaco-dialog-box .monaco-button', { hasText: answer }).first();
        await button.waitFor({ timeout: 60_000 });
        await button.click();
        await page.locator('.monaco-dialog-box').waitFor({ state: 'detached' });
      });
    }
    await wb.step('the extension has activated (status bar item)', () => wb.statusItem.waitFor({ timeout: 120_000 }));
    return wb;
  }

  /** Runs one named step: screenshot afterwards (also on failure), and an error that says which step failed. */
  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const n = String(++this.stepNo).padStart(2, '0');
    const shot = path.join(this.dir, `${n}-${slug(name)}.png`);
    try {
      const r = await fn();
      await this.page.screenshot({ path: shot }).catch(() => undefined);
      return r;
    } catch (e) {
      await this.page.screenshot({ path: shot.replace(/\.png$/, '-FAILED.png') }).catch(() => undefined);
      const msg = e instanceof Error ? e.message : String(e);
      const err = new Error(`step "${name}" failed: ${msg}\n  screenshot: ${path.relative(PROJECT_ROOT, shot.replace(/\.png$/, '-FAILED.png'))}`);
      if (e instanceof Error && e.stack) err.stack = `${err.message}\n${e.stack.split('\n').slice(1).join('\n')}`;
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }

  // ---------------------------------------------------------------- generic UI

  /** Our status bar item (client/src/status.ts): a spinner while checking, a beaker when idle. */
  get statusItem(): Locator {
    return this.page.locator('.statusbar-item', { hasText: /MLOps/ }).first();
  }

  /** Waits until the language server reports idle (the status item shows the beaker, not the spinner). */
  async waitForIdle(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.statusbar-item:has(.codicon-beaker)', { hasText: /MLOps/ }).first().waitFor({ timeout: timeoutMs });
  }

  /** Presses a key chord on the workbench (Playwright syntax: `Control+Shift+M`). */
  async press(keys: string): Promise<void> {
    await this.page.keyboard.press(keys);
  }

  /** The open quick input widget (command palette, quick pick, input box). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** The text box of the quick input widget. */
  get quickInputBox(): Locator {
    return this.quickInput.locator('input.input');
  }

  /** Runs a command from the command palette by its title (`MLOps Hygiene: Tag Model Version`), as a user would. */
  async runCommand(title: string): Promise<void> {
    await this.closeQuickInput();
    await this.press('F1');
    const input = this.quickInputBox;
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = this.quickInput.locator('.monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 10_000 }).catch(async () => {
      const rows = await this.quickInput.locator('.monaco-list-row').allInnerTexts();
      throw new Error(`command "${title}" is not in the command palette; it shows: ${rows.map(oneLine).join(' | ') || '(nothing)'}`);
    });
    await row.click();
  }

  /** Whether the command palette offers a command with this title. */
  async hasCommand(title: string): Promise<boolean> {
    await this.closeQuickInput();
    await this.press('F1');
    const input = this.quickInputBox;
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await sleep(600);
    const rows = (await this.quickInput.locator('.monaco-list-row').allInnerTexts()).map(oneLine);
    await this.closeQuickInput();
    return rows.some((r) => r.includes(title));
  }

  /** Picks the item whose label contains `label` in an open quick pick. */
  async pickQuickItem(label: string | RegExp): Promise<void> {
    const row = this.quickInput.locator('.monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 15_000 }).catch(async () => {
      const rows = await this.quickInput.locator('.monaco-list-row').allInnerTexts();
      throw new Error(`quick pick has no item ${String(label)}; it shows: ${rows.map(oneLine).join(' | ') || '(nothing)'}`);
    });
    await row.click();
  }

  /** The rows of the open quick pick, as text (label, description, detail), once it shows `title`. */
  async quickPickRows(title: string | RegExp, timeoutMs = 45_000): Promise<string[]> {
    await this.quickInput
      .locator('.quick-input-title', { hasText: title })
      .waitFor({ timeout: timeoutMs })
      .catch(async () => {
        const shown = await this.quickInput
          .locator('.quick-input-title')
          .innerText()
          .catch(() => '(no quick input)');
        throw new Error(`no quick pick titled ${String(title)}; the quick input shows: ${oneLine(shown)}`);
      });
    await this.quickInput.locator('.monaco-list-row').first().waitFor({ timeout: timeoutMs });
    // label, description and detail with a space between (innerText runs them together)
    return (
      await this.quickInput.locator('.monaco-list-row').evaluateAll((els) =>
        els.map((e) => {
          const leaves = Array.from(
            (e as unknown as { querySelectorAll(s: string): ArrayLike<{ children: ArrayLike<unknown>; textContent: string | null }> }).querySelectorAll('*'),
          );
          return leaves
            .filter((x) => !x.children.length)
            .map((x) => x.textContent ?? '')
            .filter((t) => t.trim())
            .join(' ');
        }),
      )
    ).map(oneLine);
  }

  /** The text of the open modal dialog (message and detail), once one shows. */
  async dialogText(timeoutMs = 20_000): Promise<string> {
    const box = this.page.locator('.monaco-dialog-box').first();
    await box.waitFor({ timeout: timeoutMs });
    return oneLine(await box.locator('.dialog-message').innerText());
  }

  /** Clicks the button of the open modal dialog whose text is `label`; waits until the dialog is gone. */
  async answerDialog(label: string): Promise<void> {
    const box = this.page.locator('.monaco-dialog-box').first();
    const button = box.locator('.monaco-button', { hasText: exact(label) }).first();
    await button.waitFor({ timeout: 10_000 }).catch(async () => {
      const buttons = await box.locator('.monaco-button').allInnerTexts();
      throw new Error(`the dialog has no button "${label}"; it has: ${buttons.map(oneLine).join(' | ') || '(none)'}`);
    });
    await button.click();
    await box.waitFor({ state: 'detached' });
  }

  /** Answers an open input box (showInputBox) with `text`. */
  async answerInputBox(text: string): Promise<void> {
    const input = this.quickInputBox;
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(text);
    await input.press('Enter');
  }

  async closeQuickInput(): Promise<void> {
    if (await this.quickInput.isVisible()) {
      await this.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden' }).catch(() => undefined);
    }
  }

  /** Texts of the visible notifications (toasts). */
  async notifications(): Promise<string[]> {
    return (await this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts()).map(oneLine);
  }

  async waitForNotification(re: RegExp, timeoutMs = 20_000): Promise<string> {
    let seen: string[] = [];
    const found = await waitFor(async () => {
      seen = await this.notifications();
      return seen.find((t) => re.test(t));
    }, timeoutMs);
    if (!found) throw new Error(`no notification matching ${re} within ${timeoutMs} ms; notifications: ${seen.join(' | ') || '(none)'}`);
    return found;
  }

  // ---------------------------------------------------------------- editors

  /** Opens a workspace file by its relative path through Quick Open (Ctrl+P). */
  async openFile(rel: string): Promise<void> {
    await this.closeQuickInput();
    await this.press('Control+P');
    const input = this.quickInputBox;
    await input.waitFor({ state: 'visible' });
    await input.fill(rel);
    const base = path.posix.basename(rel);
    // Enter opens the focused row: wait until it is the file asked for (right after typing, the list can still show the
    // recently opened files, and Enter then opened one of those: found by a CI run that opened digits.yaml instead).
    const row = this.quickInput.locator('.monaco-list-row.focused', { hasText: base }).first();
    await row.waitFor({ timeout: 15_000 });
    await input.press('Enter');
    await this.page.locator(`.tab.active[aria-label^="${base}"]`).first().waitFor({ timeout: 15_000 });
    // A file with NUL bytes (a model checkpoint) opens as "binary": open it as text anyway, as a user would to see it.
    const openAnyway = this.page.locator('.editor-group-container.active .monaco-button', { hasText: 'Open Anyway' });
    await this.activeEditor.or(openAnyway).first().waitFor({ timeout: 15_000 });
    if (await openAnyway.isVisible()) {
      await openAnyway.click();
      // VS Code then asks which editor to use.
      const textEditor = this.quickInput.locator('.monaco-list-row', { hasText: 'Text Editor' }).first();
      await textEditor.waitFor({ timeout: 5000 }).then(
        () => textEditor.click(),
        () => undefined,
      );
    }
    await this.activeEditor.waitFor();
  }

  get activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Puts the cursor at 1-based line and column with Go to Line (Ctrl+G). */
  async gotoPosition(line: number, column = 1): Promise<void> {
    await this.activeEditor.click({ position: { x: 200, y: 10 } }).catch(() => undefined);
    await this.press('Control+G');
    const input = this.quickInputBox;
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await input.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' }).catch(() => undefined);
  }

  /** Types text at the cursor of the active editor, as keystrokes. */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: 10 });
  }

  async save(): Promise<void> {
    await this.press('Control+S');
    await this.page
      .locator('.tab.active.dirty')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
  }

  /** Shows the hover at the cursor (editor.action.showHover, Ctrl+K Ctrl+I) and returns its text. */
  async hoverAtCursor(expected: RegExp, timeoutMs = 15_000): Promise<string> {
    let text = '';
    const found = await waitFor(async () => {
      await this.press('Control+K');
      await this.press('Control+I');
      const hover = this.page.locator('.monaco-hover:not(.hidden)').first();
      await hover.waitFor({ timeout: 3000 }).catch(() => undefined);
      text = (await hover.innerText().catch(() => '')) ?? '';
      if (expected.test(text)) return text;
      await this.press('Escape');
      return undefined;
    }, timeoutMs);
    if (!found) throw new Error(`the hover never showed ${expected}; last hover text: ${oneLine(text) || '(no hover)'}`);
    return found;
  }

  // ---------------------------------------------------------------- Problems panel

  /**
   * Every marker the Problems panel lists, read from the panel itself: it is opened (Ctrl+Shift+M) and maximised for
   * the read, and its virtual list (which renders only the rows that fit) is scrolled a screenful at a time until the
   * tree's own accessibility attributes say every row was seen: consecutive `data-index` from 0, and at every level the
   * `aria-posinset` values 1..`aria-setsize` without a gap, so the last file and its last marker were reached, and each
   * file has as many marker rows as its count badge says. Whatever does not add up is an error naming it, never a silently short list.
   */
  async problems(): Promise<ProblemRow[]> {
    const read = await this.readProblemsPanel();
    if (read.problem) throw new Error(`reading the Problems panel: ${read.problem}`);
    return read.rows;
  }

  private async readProblemsPanel(): Promise<{ rows: ProblemRow[]; problem?: string }> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible' });
    }
    const total = await this.problemsTotal();
    if (!(await panel.locator('.monaco-list-row').count())) {
      return total ? { rows: [], problem: `the Problems tab counts ${total} problems but the panel shows no row (is a filter set?)` } : { rows: [] };
    }
    const maximise = this.page.locator('.part.panel .action-label[aria-label^="Maximize Panel Size"]').first();
    const maximised = await maximise.isVisible().catch(() => false);
    if (maximised) await maximise.click();
    try {
      const read = await this.collectProblemRows();
      // What the read saw, maximised (the step's own screenshot comes after the panel is restored); the last read wins.
      await this.page.screenshot({ path: path.join(this.dir, `${String(this.stepNo).padStart(2, '0')}-problems-panel-maximised.png`) }).catch(() => undefined);
      return read;
    } finally {
      // Give the editors their room back (a later step opens files).
      if (maximised)
        await this.page
          .locator('.part.panel .action-label[aria-label^="Restore Panel Size"]')
          .first()
          .click()
          .catch(() => undefined);
    }
  }

  /** The total count on the Problems tab (`Problems (Ctrl+Shift+M) - Total 56 Problems`), 0 when it shows none. */
  async problemsTotal(): Promise<number> {
    const label =
      (await this.page
        .locator('.part.panel .action-label[aria-label^="Problems"]')
        .first()
        .getAttribute('aria-label')
        .catch(() => null)) ?? '';
    const m = /Total (\d+) Problem/.exec(label);
    return m ? Number(m[1]) : 0;
  }

  private async collectProblemRows(): Promise<{ rows: ProblemRow[]; problem?: string }> {
    const panel = this.page.locator('.markers-panel');
    const list = panel.locator('.monaco-list').first();
    const byIndex = new Map<number, RawProblemRow>();
    const readRendered = async () => {
      // One evaluate for all rendered rows (the list recycles row elements while it scrolls); sticky-scroll copies of
      // parent rows are not rows of the list.
      for (const r of await panel.locator('.monaco-list-row:not(.monaco-tree-sticky-row)').evaluateAll(rawProblemRows)) byIndex.set(r.index, r);
    };
    // Scrolled with the keyboard, as a user of a screen reader would: Home, then PageDown. (A wheel over the list can
    // land on a row's hover instead, and the list keeps its scroll position between reads.)
    await this.page.mouse.move(0, 0);
    await list.focus();
    await this.press('Home');
    await sleep(100);
    await readRendered();
    let verdict = completeness(byIndex);
    for (let still = 0; verdict && still < 4;) {
      const before = byIndex.size;
      await this.press('PageDown');
      await sleep(still ? 300 : 100); // rendering may lag on a busy machine: wait longer when nothing new came
      await readRendered();
      verdict = completeness(byIndex);
      still = byIndex.size === before ? still + 1 : 0;
    }
    const rows: ProblemRow[] = [];
    let file = '';
    let filePath = '';
    let badges = 0;
    for (const r of [...byIndex.values()].sort((a, b) => a.index - b.index)) {
      if (r.level === 1) {
        file = r.description ? `${r.description}/${r.name}` : r.name;
        filePath = r.path;
        badges += r.count;
      } else if (r.level === 2) {
        rows.push({ message: r.message, source: r.source, code: r.code || undefined, file, path: filePath, line: r.line, column: r.column });
      }
    }
    if (verdict) return { rows, problem: `${verdict} after scrolling through ${byIndex.size} rows` };
    // The total on the Problems tab is no proof: it was seen lagging (72 for 30 s while the list showed the 73rd marker,
    // which had just come back). The tree's numbering and the file badges are.
    if (rows.length !== badges) return { rows, problem: `the file rows' badges count ${badges} problems, the panel lists ${rows.length} marker rows` };
    return { rows };
  }

  /** Waits until the Problems panel shows exactly the counts in `expected` (codeCounts format) for markers of `source`. */
  async waitForCodeCounts(expected: string, source: string, timeoutMs = 60_000): Promise<ProblemRow[]> {
    let got = '';
    let last: ProblemRow[] = [];
    let problem = '';
    const ok = await waitFor(async () => {
      const read = await this.readProblemsPanel();
      problem = read.problem ?? '';
      if (problem) return undefined;
      last = read.rows.filter((r) => r.source === source);
      got = codeCounts(last.map((r) => r.code));
      return got === expected || undefined;
    }, timeoutMs);
    if (!ok) throw new Error(`Problems panel: expected ${expected || '(nothing)'}\n  it lists   ${got || '(nothing)'}${problem ? `\n  and: ${problem}` : ''}`);
    return last;
  }

  /** Polls the Problems panel until `predicate` holds; the error shows what the panel listed last. */
  async waitForProblems(what: string, predicate: (rows: ProblemRow[]) => boolean, timeoutMs = 30_000): Promise<ProblemRow[]> {
    let rows: ProblemRow[] = [];
    let problem = '';
    const ok = await waitFor(async () => {
      const read = await this.readProblemsPanel();
      problem = read.problem ?? '';
      rows = read.rows;
      return (!problem && predicate(rows)) || undefined;
    }, timeoutMs);
    if (!ok)
      throw new Error(`Problems panel: expected ${what} within ${timeoutMs} ms; it lists ${describeProblems(rows)}${problem ? `; and: ${problem}` : ''}`);
    return rows;
  }

  /** Selects the marker row matching `text` in the Problems panel and returns its locator. */
  async selectProblem(text: string | RegExp): Promise<Locator> {
    await this.problems();
    const row = this.page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    return row;
  }

  /**
   * Opens the quick fixes of the Problems row matching `text` (its light-bulb action, as a user hovering the row would)
   * and applies the one titled `title`.
   */
  async applyQuickFixFromProblems(text: string | RegExp, title: string): Promise<void> {
    await this.problems();
    const row = this.page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.hover();
    const bulb = row
      .locator('.action-label[class*="codicon-lightbulb"], .action-label[aria-label^="Show fixes"], .action-label[aria-label^="Quick Fix"]')
      .first();
    await bulb.waitFor({ timeout: 10_000 }).catch(async () => {
      throw new Error(`the Problems row ${String(text)} offers no quick fix (no light bulb); row: ${oneLine(await row.innerText())}`);
    });
    await bulb.click();
    const entry = this.page.locator('.context-view .action-label, .action-widget .monaco-list-row', { hasText: exact(title) }).first();
    await entry.waitFor({ timeout: 10_000 }).catch(async () => {
      const offered = await this.page.locator('.context-view .action-label, .action-widget .monaco-list-row').allInnerTexts();
      throw new Error(`no quick fix "${title}"; offered: ${offered.map(oneLine).join(' | ') || '(nothing)'}`);
    });
    await entry.click();
  }

  /** Ctrl+. in the active editor at the cursor, then applies the quick fix titled `title`. */
  async applyQuickFixInEditor(title: string): Promise<void> {
    await this.press('Control+.');
    const entry = this.page.locator('.action-widget .monaco-list-row', { hasText: exact(title) }).first();
    await entry.waitFor({ timeout: 45_000 }).catch(async () => {
      const offered = await this.page.locator('.action-widget .monaco-list-row').allInnerTexts();
      throw new Error(`no quick fix "${title}" at the cursor; offered: ${offered.map(oneLine).join(' | ') || '(nothing)'}`);
    });
    // The menu takes the keyboard (a pointer block covers the page): move to the entry and press Enter, as a user would.
    for (let i = 0; i < 30 && !(await entry.evaluate((e) => e.classList.contains('focused'))); i++) await this.press('ArrowDown');
    await this.press('Enter');
    await this.page
      .locator('.action-widget')
      .waitFor({ state: 'hidden' })
      .catch(() => undefined);
  }

  // ---------------------------------------------------------------- views (activity bar containers, trees, webviews)

  /** Opens an activity-bar view container by its title (`MLOps`). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar [aria-label^="${title}"]`).first();
    await item.waitFor({ timeout: 20_000 }).catch(async () => {
      const labels = await this.page
        .locator('.activitybar .action-item a, .activitybar .action-label')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      throw new Error(`no activity bar item "${title}"; items: ${labels.filter(Boolean).join(' | ')}`);
    });
    const checked = await item.evaluate((e) => e.closest('.action-item')?.classList.contains('checked') ?? false);
    if (!checked) await item.click();
  }

  /** The body of a view by its title (`Runs`). */
  viewPane(title: string): Locator {
    return this.page.locator('.pane', { has: this.page.locator(`.pane-header[aria-label^="${title}"], .pane-header:has-text("${title}")`) }).first();
  }

  /** Texts of a tree view's visible rows, with their depth. */
  async treeRows(viewTitle: string): Promise<{ label: string; level: number; expanded?: boolean }[]> {
    const pane = this.viewPane(viewTitle);
    await pane.locator('.pane-body').waitFor({ timeout: 15_000 });
    const rows = await pane.locator('.pane-body .monaco-list-row').all();
    const out: { label: string; level: number; expanded?: boolean }[] = [];
    for (const r of rows) {
      const exp = await r.getAttribute('aria-expanded');
      out.push({ label: oneLine(await r.innerText()), level: Number(await r.getAttribute('aria-level')), expanded: exp === null ? undefined : exp === 'true' });
    }
    return out;
  }

  async waitForTreeRows(viewTitle: string, what: string, predicate: (rows: { label: string; level: number }[]) => boolean, timeoutMs = 30_000) {
    let rows: { label: string; level: number; expanded?: boolean }[] = [];
    const ok = await waitFor(async () => {
      rows = await this.treeRows(viewTitle).catch(() => []);
      return predicate(rows) || undefined;
    }, timeoutMs);
    if (!ok)
      throw new Error(
        `view "${viewTitle}": expected ${what} within ${timeoutMs} ms; rows: ${rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label}`).join(' | ') || '(none)'}`,
      );
    return rows;
  }

  /** Expands (clicks the twistie of) the tree row whose text contains `label`. */
  async expandTreeRow(viewTitle: string, label: string | RegExp): Promise<void> {
    const row = this.viewPane(viewTitle).locator('.pane-body .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 15_000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  }

  /** Hovers a tree row and clicks its inline action button by title, or runs a context-menu entry. */
  async treeRowAction(viewTitle: string, label: string | RegExp, actionTitle: string): Promise<void> {
    const row = this.viewPane(viewTitle).locator('.pane-body .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.hover();
    const inline = row.locator(`.action-label[aria-label^="${actionTitle}"]`);
    if (await inline.count()) {
      await inline.first().click();
      return;
    }
    await row.click({ button: 'right' });
    const entry = this.page.locator('.context-view .action-item', { hasText: actionTitle }).first();
    await entry.waitFor({ timeout: 10_000 });
    await entry.click();
  }

  /** Titles of the open editor tabs. */
  async tabs(): Promise<string[]> {
    return (await this.page.locator('.tabs-container .tab').allInnerTexts()).map(oneLine);
  }

  /**
   * The content frame of the webview panel whose tab title matches, once `selector` shows in it. Webviews nest two
   * iframes (the host and the content); Playwright reaches both through page.frames().
   */
  async webviewFrame(selector: string, timeoutMs = 20_000): Promise<Frame> {
    let frame: Frame | undefined;
    const ok = await waitFor(async () => {
      for (const f of this.page.frames()) {
        if (f === this.page.mainFrame()) continue;
        if (
          await f
            .locator(selector)
            .count()
            .catch(() => 0)
        ) {
          frame = f;
          return true;
        }
      }
      return undefined;
    }, timeoutMs);
    if (!ok || !frame) throw new Error(`no webview shows "${selector}" within ${timeoutMs} ms; tabs: ${(await this.tabs()).join(' | ')}`);
    return frame;
  }
}

/** Polls `fn` until it returns something truthy or the time runs out (then undefined). */
export async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, everyMs = 400): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fn().catch(() => undefined);
    if (r) return r;
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

export function describeProblems(rows: ProblemRow[]): string {
  if (!rows.length) return '(no problems)';
  return rows.map((r) => `${r.file}: ${r.code ?? '?'} ${r.message.slice(0, 80)}`).join(' | ');
}

/** A case-sensitive matcher for the text (Playwright's hasText with a string ignores case). */
function exact(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
