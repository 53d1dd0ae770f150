/**
 * The @vscode/test-electron suite: mocha inside a real VS Code extension host, the way the ecosystem tests extensions.
 * It needs a VS Code build: MLH_VSCODE_EXECUTABLE, or one @vscode/test-electron can download (cached in .vscode-test/).
 * Where neither is possible (offline machines like this project's CI) it prints ONE skip line and the closing line
 * `tests: 0 passed, 0 failed, 1 skipped`: a skip, never a pass.
 *
 *   npm run test:electron
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { PROJECT_ROOT, copyExample, rmrf } from '../support/tmp';
import { cliFindings } from '../e2e/scenarios';

/** The VS Code version the suite runs against: the oldest engines.vscode allows is not downloadable offline either. */
const VERSION = process.env.MLH_VSCODE_VERSION ?? '1.96.4';

export async function findVSCode(): Promise<{ executable?: string; reason?: string }> {
  const explicit = process.env.MLH_VSCODE_EXECUTABLE;
  if (explicit) return fs.existsSync(explicit) ? { executable: explicit } : { reason: `MLH_VSCODE_EXECUTABLE=${explicit} does not exist` };
  try {
    const executable = await withTimeout(
      downloadAndUnzipVSCode({ version: VERSION, timeout: 15_000, cachePath: path.join(PROJECT_ROOT, '.vscode-test') }),
      120_000,
    );
    return { executable };
  } catch (e) {
    return { reason: `VS Code ${VERSION} could not be downloaded (${e instanceof Error ? e.message : String(e)}) and MLH_VSCODE_EXECUTABLE is not set` };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}

/** Runs the suite; resolves to the exit code (0 also when skipped, with the skip printed). */
export async function runElectronSuite(): Promise<{ code: number; skipped?: string }> {
  const found = await findVSCode();
  if (!found.executable) return { code: 0, skipped: found.reason };
  const folder = copyExample('broken-project', true);
  try {
    // Expectations are computed here, with Node and the CLI, and handed to the extension host.
    const expectFile = path.join(folder, '..', `${path.basename(folder)}-expected.json`);
    fs.writeFileSync(expectFile, JSON.stringify({ folder, findings: cliFindings(folder, { git: true }) }));
    const code = await runTests({
      vscodeExecutablePath: found.executable,
      extensionDevelopmentPath: PROJECT_ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: { MLH_ELECTRON_EXPECTED: expectFile },
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    rmrf(expectFile);
    return { code };
  } finally {
    rmrf(folder);
  }
}

if (require.main === module) {
  runElectronSuite().then(
    (r) => {
      if (r.skipped) {
        console.log(`test-electron: SKIPPED, no VS Code build available: ${r.skipped}`);
        console.log('\ntests: 0 passed, 0 failed, 1 skipped');
      }
      process.exit(r.code);
    },
    (e) => {
      console.error(`test-electron: FAILED to run: ${e instanceof Error ? e.stack : String(e)}`);
      process.exit(1);
    },
  );
}
