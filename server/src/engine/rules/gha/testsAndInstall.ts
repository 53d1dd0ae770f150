import { defineFileRule, defineRepoRule } from '../../rule';
import { isWorkflowFile, rangeIn, stepCommands, allWorkflows, workflowOf } from '../../gha/workflow';
import { testFilesOf } from '../../python/testFiles';

/** Tests that no CI runs only run when someone remembers to. */
export const testsNotRunInCi = defineRepoRule({
  code: 'GHA001',
  name: 'tests-not-run-in-ci',
  severity: 'warning',
  title: 'No workflow runs the tests',
  doc: {
    what: 'The project has tests (the files pytest collects: `test_*.py`, or its configured `python_files` under `testpaths`), but no GitHub Actions workflow runs them (`pytest`, `python -m pytest`, `coverage run`, `tox`, `nox`, `make test`, `invoke test`, ...).',
    why: 'Tests that CI does not run break silently: the course (and any team) relies on CI to catch a broken data loader or model before it is merged.',
    example: '# tests/test_model.py exists; .github/workflows/ only has a lint workflow\n',
    fix: 'Add a workflow that installs the project and runs `pytest` on push and pull request (see the clean example project).',
    references: ['https://docs.github.com/en/actions/use-cases-and-examples/building-and-testing/building-and-testing-python'],
  },
  check(ctx) {
    const tests = [...testFilesOf(ctx)];
    if (!tests.length) return;
    const wfs = allWorkflows(ctx);
    if (
      wfs.some(({ wf }) =>
        wf.jobs.some(
          (j) => j.usesWorkflow || j.steps.some((s) => stepCommands(s).some((c) => c.runsTests) || /\/\.github\/workflows\//.test(s.uses?.value ?? '')),
        ),
      )
    )
      return;
    const anchor = wfs[0] ? { file: wfs[0].file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } : ctx.anchor('pyproject.toml');
    if (!anchor) return;
    ctx.report({
      ...anchor,
      message: `${tests.length} test file${tests.length === 1 ? '' : 's'} (e.g. ${tests[0]}) but no GitHub Actions workflow runs the tests${wfs.length ? ` (checked ${wfs.map((w) => w.file).join(', ')})` : ': there is no workflow'}`,
    });
  },
});

/** pytest without the project installed fails at the first import, or tests a different version of the code. */
export const testsRunWithoutInstall = defineFileRule({
  code: 'GHA004',
  name: 'tests-run-without-install',
  severity: 'error',
  title: 'Job runs the tests without installing the project',
  doc: {
    what: 'A job runs `pytest` (or another test runner) but none of its steps installs the project or its requirements (`pip install -r requirements.txt`, `pip install -e .`, `uv sync`, `uv run`, `poetry install`...). Versioned pip and python count (`pip3.11 install`, `python3.12 -m pip install`). Tests run inside a container (`docker run IMAGE pytest`, `docker run IMAGE sh -c "pip install ... && pytest"`, `docker compose run SERVICE pytest`) test what the image installed and are not judged here; jobs in a `container:` and jobs that call a local composite action are skipped.',
    why: 'The runner starts from a bare Python: the tests fail at `import torch`, or, if only pytest is installed, at the first import of the project.',
    example: 'steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-python@v5\n  - run: pip install pytest\n  - run: pytest tests/\n',
    fix: 'Install the project and its development dependencies before the tests:\n\n  - run: pip install -r requirements.txt -r requirements_dev.txt && pip install -e .\n',
  },
  appliesTo: isWorkflowFile,
  check(ctx) {
    const wf = workflowOf(ctx);
    if (!wf) return;
    for (const job of wf.jobs) {
      if (job.hasContainer || job.steps.some((s) => s.uses?.value.startsWith('./'))) continue;
      // tests run on the runner; `docker run IMAGE pytest` / `docker compose run` test what the image installed
      const testStep = job.steps.find((s) => stepCommands(s).some((c) => c.runsTests && !c.inContainer));
      if (!testStep?.run) continue;
      const before = job.steps.filter((s) => s.index <= testStep.index);
      const installs = before.flatMap((s) => stepCommands(s).map((c) => c.installs)).filter(Boolean);
      if (installs.includes('project')) continue;
      // a uses: step that installs (e.g. a setup action with an install input) cannot be judged: stay quiet
      if (
        before.some(
          (s) => s.uses && /install|setup-(pdm|poetry|micromamba|miniconda|pixi)|conda/.test(s.uses.value) && !/setup-python|setup-uv/.test(s.uses.value),
        )
      )
        continue;
      const cmd = stepCommands(testStep).find((c) => c.runsTests && !c.inContainer)!.text;
      ctx.report({
        message: `job '${job.id}' runs \`${cmd}\` but ${installs.length ? 'only installs individual packages, not the project or its requirements' : 'never installs the project or its dependencies'}`,
        range: rangeIn(wf.doc, testStep.run.node, cmd.split(/\s+/)[0]),
      });
    }
  },
});
