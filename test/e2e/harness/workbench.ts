import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../support/tmp';

/** Screenshots and logs of the editor suite: git-ignored, kept as CI artefacts. */
export const ARTEFACTS = path.join(PROJECT_ROOT, 'test-results', 'e2e');

export interface ProblemRow {
  /** The marker's message, as the Problems panel shows it. */
  message: string;
  /** Rule code parsed from the row (`mlops-hygiene(GIT001)`), if any. */
  code?: string;
  /** File the marker belongs to (the file row above it). */
  file: string;
  line?: number;
  column?: number;
}

const CODE_RE = /\b([A-Z]{2,4}\d{3})\b/;

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
    const row = this.quickInput.locator('.monaco-list-row', { hasText: base }).first();
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
      await textEditor.waitFor({ timeout: 5000 }).then(() => textEditor.click(), () => undefined);
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
    await this.page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
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

  /** Opens the Problems panel (Ctrl+Shift+M) maximised and returns all its markers (scrolling the virtual list). */
  async problems(): Promise<ProblemRow[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible' });
    }
    if (!(await panel.locator('.monaco-list-row').count())) return [];
    // Maximise the panel once, so that (with the tall viewport) the virtual list renders all its rows.
    const maximise = this.page.locator('.part.panel .title-actions .action-label[aria-label^="Maximize Panel Size"]').first();
    if (await maximise.isVisible().catch(() => false)) await maximise.click().catch(() => undefined);
    // The list is virtual: collect rows by index while scrolling it from top to bottom.
    const byIndex = new Map<number, { text: string; level: number }>();
    const scroller = panel.locator('.monaco-scrollable-element').first();
    await scroller.hover();
    await this.page.mouse.wheel(0, -100_000);
    // Scroll until three wheel turns in a row bring no new row (rendering may lag on a busy machine).
    for (let i = 0, still = 0; i < 300 && still < 3; i++) {
      const before = byIndex.size;
      // Read all rendered rows in one go: the list recycles row elements while it scrolls.
      const rendered = await panel.locator('.monaco-list-row').evaluateAll((els) =>
        els.map((e) => ({ idx: Number(e.getAttribute('data-index')), level: Number(e.getAttribute('aria-level')), text: (e as unknown as { innerText: string }).innerText })),
      );
      for (const r of rendered) byIndex.set(r.idx, { text: oneLine(r.text), level: r.level });
      still = byIndex.size === before ? still + 1 : 0;
      await this.page.mouse.wheel(0, 200);
      await sleep(150);
    }
    const rows: ProblemRow[] = [];
    let file = '';
    for (const [, r] of [...byIndex.entries()].sort((a, b) => a[0] - b[0])) {
      if (r.level === 1) {
        file = r.text.replace(/\s*\d+\s*$/, '').trim();
        continue;
      }
      const pos = /\[Ln (\d+), Col (\d+)\]/.exec(r.text);
      rows.push({ message: r.text, code: CODE_RE.exec(r.text)?.[1], file, line: pos ? Number(pos[1]) : undefined, column: pos ? Number(pos[2]) : undefined });
    }
    return rows;
  }

  /**
   * The Problems panel's rows whose code is `code`, read with the panel's own filter box (the list is virtual and
   * renders only what fits, so a project with many findings is read one code at a time). Clears the filter after.
   */
  async problemsWithCode(code: string): Promise<ProblemRow[]> {
    await this.problems(); // opens the panel
    const filter = this.page.locator('.part.panel .viewpane-filter input').first();
    await filter.fill(code);
    await sleep(600); // the filter is applied after a short delay
    const rows = (await this.problems()).filter((r) => r.code === code);
    await filter.fill('');
    return rows;
  }

  /** Waits until the Problems panel shows, code by code, exactly the counts in `expected` (codeCounts format). */
  async waitForCodeCounts(expected: string, timeoutMs = 60_000): Promise<void> {
    const want = new Map(expected.split(', ').filter(Boolean).map((p) => [p.split(' x')[0], Number(p.split(' x')[1])] as const));
    const deadline = Date.now() + timeoutMs;
    for (const [code, n] of want) {
      let got: ProblemRow[] = [];
      const ok = await waitFor(async () => {
        got = await this.problemsWithCode(code);
        return got.length === n || undefined;
      }, Math.max(5_000, deadline - Date.now()));
      if (!ok) throw new Error(`Problems panel filtered by ${code}: expected ${n} rows, it lists ${describeProblems(got)}`);
    }
  }

  /** Polls the Problems panel until `predicate` holds; the error shows what the panel listed last. */
  async waitForProblems(what: string, predicate: (rows: ProblemRow[]) => boolean, timeoutMs = 30_000): Promise<ProblemRow[]> {
    let rows: ProblemRow[] = [];
    const ok = await waitFor(async () => {
      rows = await this.problems();
      return predicate(rows) || undefined;
    }, timeoutMs);
    if (!ok) throw new Error(`Problems panel: expected ${what} within ${timeoutMs} ms; it lists ${describeProblems(rows)}`);
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
    const bulb = row.locator('.action-label[class*="codicon-lightbulb"], .action-label[aria-label^="Show fixes"], .action-label[aria-label^="Quick Fix"]').first();
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
    await this.page.locator('.action-widget').waitFor({ state: 'hidden' }).catch(() => undefined);
  }

  // ---------------------------------------------------------------- views (activity bar containers, trees, webviews)

  /** Opens an activity-bar view container by its title (`MLOps`). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar [aria-label^="${title}"]`).first();
    await item.waitFor({ timeout: 20_000 }).catch(async () => {
      const labels = await this.page.locator('.activitybar .action-item a, .activitybar .action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
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
    if (!ok) throw new Error(`view "${viewTitle}": expected ${what} within ${timeoutMs} ms; rows: ${rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label}`).join(' | ') || '(none)'}`);
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
        if (await f.locator(selector).count().catch(() => 0)) {
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
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}
