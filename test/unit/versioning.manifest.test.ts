import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../support/tmp';

interface Cmd {
  command: string;
  title: string;
  category?: string;
  enablement?: string;
}

const WRITING = ['tagModelVersion', 'trackData', 'pushData', 'pullData', 'checkoutData', 'showDataHistory', 'snapshotExperiment', 'setupProjectStructure'];

describe('versioning: package.json contributions', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  const cmds: Cmd[] = pkg.contributes.commands;
  const source = fs.readFileSync(path.join(PROJECT_ROOT, 'client/src/versioning/index.ts'), 'utf8');

  it('declares every versioning command with its palette title, disabled and hidden in Restricted Mode', () => {
    const titles = WRITING.map((n) => {
      const c = cmds.find((x) => x.command === `mlopsHygiene.${n}`);
      assert.ok(c, `mlopsHygiene.${n} is not declared`);
      assert.equal(c.enablement, 'isWorkspaceTrusted', `${c.command} must be disabled in Restricted Mode`);
      const palette = pkg.contributes.menus.commandPalette.find((m: { command: string }) => m.command === c.command);
      assert.equal(palette?.when, 'isWorkspaceTrusted', `${c.command} must be hidden from the palette in Restricted Mode`);
      assert.match(source, new RegExp(`registerCommand\\('${c.command.replace('.', '\\.')}'`), `${c.command} is declared but not registered`);
      return `${c.category}: ${c.title}`;
    });
    assert.deepEqual(titles, [
      'MLOps Hygiene: Tag Model Version',
      'MLOps Hygiene: Track Data with DVC',
      'MLOps Hygiene: Push Data',
      'MLOps Hygiene: Pull Data',
      'MLOps Hygiene: Checkout Data',
      'MLOps Hygiene: Show Data Version History',
      'MLOps Hygiene: Snapshot Experiment',
      'MLOps Hygiene: Set Up Project Structure',
    ]);
    // Context menus of the Data view and the explorer only offer them in a trusted workspace too.
    for (const m of [...pkg.contributes.menus['view/item/context'], ...pkg.contributes.menus['explorer/context']]) {
      if (WRITING.some((n) => m.command === `mlopsHygiene.${n}`)) assert.match(m.when, /isWorkspaceTrusted/, `${m.command} menu entry`);
    }
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('mlopsHygiene.dvcPath'));
  });

  it('puts the Data view in the mlopsHygiene activity-bar container, with a welcome text when there is no DVC', () => {
    assert.ok(pkg.contributes.viewsContainers.activitybar.some((v: { id: string }) => v.id === 'mlopsHygiene'));
    assert.ok(pkg.contributes.views.mlopsHygiene.some((v: { id: string; name: string }) => v.id === 'mlopsHygiene.data' && v.name === 'Data'));
    const welcome = pkg.contributes.viewsWelcome.find((w: { view: string; when: string }) => w.view === 'mlopsHygiene.data' && /noDvc/.test(w.when));
    assert.match(welcome.contents, /command:mlopsHygiene\.trackData/);
    assert.match(fs.readFileSync(path.join(PROJECT_ROOT, 'client/src/versioning/dataView.ts'), 'utf8'), /'mlopsHygiene\.data\.noDvc'/);
    for (const icon of pkg.contributes.viewsContainers.activitybar.map((v: { icon: string }) => v.icon))
      assert.ok(fs.existsSync(path.join(PROJECT_ROOT, icon)), `${icon} missing`);
  });
});
