import { defineFileRule } from '../../rule';
import { isWorkflowFile, rangeIn, workflowOf } from '../../gha/workflow';
import { projectSources } from './shared';

/** Tools CI runs, and the distributions that provide them. */
const TOOLS: Record<string, string[]> = {
  pytest: ['pytest'],
  ruff: ['ruff'],
  mypy: ['mypy'],
  coverage: ['coverage', 'pytest-cov'],
  black: ['black'],
  isort: ['isort'],
  flake8: ['flake8'],
  pylint: ['pylint'],
  'pre-commit': ['pre-commit'],
  invoke: ['invoke'],
};

/** A tool CI installs ad hoc runs in a version nobody pinned, and developers run another one locally. */
export const ciToolNotDeclared = defineFileRule({
  code: 'DEP005',
  name: 'ci-tool-not-declared',
  severity: 'warning',
  title: 'Tool run in CI but not declared as a development dependency',
  doc: {
    what: 'A workflow runs `pytest`, `ruff`, `mypy`, `coverage`, `black`, `isort`, `flake8`, `pylint`, `pre-commit` or `invoke` (directly, with `python -m` or `uv run`), and no dependency file declares it (a dev requirements file, an optional-dependencies extra or a dependency group). Tools run with `pipx run`/`uvx` are isolated on purpose and skipped.',
    why: 'CI then installs whatever version is newest (or, with `uv run`, fails because the tool is not in the environment), and developers run another version locally: lint rules and test behaviour differ between laptop and CI.',
    example: '# requirements_dev.txt has only pytest\n- run: pip install ruff && ruff check .\n',
    fix: 'Declare the tool with a version in the development dependencies (`requirements_dev.txt`, `[dependency-groups] dev`, or `uv add --dev ruff`) and install those in CI.',
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    const src = projectSources(ctx);
    if (!src.hasDeclarations || src.opaque) return;
    const declared = new Set(src.deps.map((d) => d.name));
    const seen = new Set<string>();
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        if (!step.run) continue;
        for (const line of step.run.value.split('\n')) {
          for (const part of line.replace(/(^|\s)#.*$/, '').split(/&&|\|\||;|\|/)) {
            const m = /^\s*(?:(uv run|poetry run|pdm run|hatch run|python3? -m|pipx run|uvx)\s+)?(?:--\S+\s+)*([a-z][\w-]*)\b/.exec(part);
            if (!m) continue;
            const tool = m[2];
            if (!(tool in TOOLS) || m[1] === 'pipx run' || m[1] === 'uvx' || seen.has(tool)) continue;
            if (TOOLS[tool].some((d) => declared.has(d))) continue;
            seen.add(tool);
            ctx.report({
              message: `CI runs ${tool}, but no dependency file declares ${TOOLS[tool].join(' or ')}: CI and developers get different versions; add it to the development dependencies`,
              range: (() => {
                const r = rangeIn(wf.doc, step.run.node, part.trim());
                const at = part.trim().search(new RegExp(`\\b${tool}\\b`));
                return r.start.line === r.end.line && at >= 0
                  ? {
                      start: { line: r.start.line, character: r.start.character + at },
                      end: { line: r.start.line, character: r.start.character + at + tool.length },
                    }
                  : r;
              })(),
            });
          }
        }
      }
    }
  },
});
