import { defineFileRule } from '../../rule';
import { isTaskFile, referencedPaths, taskCommands, moduleExists } from '../../python/scripts';

/** A task that runs a file that is not there fails only when someone runs it, usually in a hurry. */
export const taskRefersToMissingFile = defineFileRule({
  code: 'PRE007',
  name: 'task-refers-to-missing-file',
  severity: 'warning',
  title: 'tasks.py or Makefile runs a file that does not exist',
  doc: {
    what: 'An invoke task (`ctx.run("python src/digits/train.py")` in tasks.py) or a Makefile recipe runs a Python script, a module of the project (`python -m digits.train`) or builds a Dockerfile (`-f dockerfiles/api.dockerfile`) that is not in the repository.',
    why: 'The template\'s tasks keep pointing at files after they are renamed or removed (the "simple" template deletes `dockerfiles/` but keeps the docker task); the task fails when someone finally runs it.',
    example: '@task\ndef docker_build(ctx):\n    ctx.run("docker build -t train -f dockerfiles/train.dockerfile .")   # dockerfiles/ was removed\n',
    fix: 'Point the task at the real file, or remove the task.',
  },
  appliesTo: isTaskFile,
  check(ctx) {
    const r = ctx.text();
    if (!r.ok) return;
    const dir = ctx.file.includes('/') ? ctx.file.slice(0, ctx.file.lastIndexOf('/') + 1) : '';
    const isMake = !ctx.file.endsWith('.py');
    for (const s of taskCommands(ctx.file, r.text)) {
      const n = s.line;
      for (const p of referencedPaths(s.text)) {
        const col = s.at + p.at;
        const range = { start: { line: n, character: col }, end: { line: n, character: col + p.value.length } };
        if (p.kind === 'file') {
          const rel = (dir + p.value.replace(/^\.\//, '')).replace(/\/+/g, '/');
          if (!ctx.ws.exists(rel)) ctx.report({ message: `${isMake ? 'the recipe' : 'the task'} runs ${p.value}, which does not exist`, range });
        } else {
          const top = p.value.split('.')[0];
          if (moduleExists(ctx.ws, p.value)) continue;
          const own = [...ctx.ws.paths()].some((q) => q.startsWith(top + '/') || q.includes('/' + top + '/') || q === `${top}.py` || q.endsWith(`/${top}.py`));
          if (own) ctx.report({ message: `${isMake ? 'the recipe' : 'the task'} runs module ${p.value}, which does not exist in the project`, range });
        }
      }
    }
  },
});
