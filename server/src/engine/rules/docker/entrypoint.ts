import { defineFileRule } from '../../rule';
import { moduleExists } from '../../python/scripts';
import { imagePathToSources, isDockerfile, type DockerInstruction, type ParsedDockerfile, type Word, dockerfileOf } from '../../docker/dockerfile';

/** The command a container of the final stage runs: ENTRYPOINT (+ CMD when ENTRYPOINT is in exec form), CMD otherwise. */
export function containerCommand(p: ParsedDockerfile): { words: Word[]; instr: DockerInstruction; index: number } | undefined {
  const last = Math.max(0, ...p.instructions.map((i) => i.stage));
  let ep: DockerInstruction | undefined;
  let cmd: DockerInstruction | undefined;
  let index = 0;
  p.instructions.forEach((i, k) => {
    if (i.stage !== last) return;
    if (i.keyword === 'ENTRYPOINT') {
      ep = i;
      index = k;
    }
    if (i.keyword === 'CMD') {
      cmd = i;
      if (!ep) index = k;
    }
  });
  if (!ep && !cmd) return undefined;
  const words = ep ? [...ep.words, ...(ep.json && cmd ? cmd.words : [])] : cmd!.words;
  let w = words;
  // sh -c "python train.py": look inside the string, all at the string's range
  if (w.length >= 3 && /^(\/bin\/)?(ba)?sh$/.test(w[0].value) && w[1].value === '-c') {
    const inner = w[2];
    w = inner.value
      .replace(/^["']|["']$/g, '')
      .split(/\s+/)
      .filter(Boolean)
      .map((value) => ({ value, range: inner.range }));
  }
  return { words: w, instr: (ep ?? cmd)!, index };
}

/** Strips wrappers (`exec`, `uv run`, `poetry run`, `conda run -n x`) from the front of a command. */
export function unwrap(words: Word[]): Word[] {
  let w = words;
  for (;;) {
    const v = w.map((x) => x.value);
    if (v[0] === 'exec') w = w.slice(1);
    else if ((v[0] === 'uv' || v[0] === 'poetry' || v[0] === 'pipenv') && v[1] === 'run') {
      let k = 2;
      while (w[k] && w[k].value.startsWith('-')) k += /^--(with|python|extra|group|env-file|directory|project)$/.test(w[k].value) ? 2 : 1;
      w = w.slice(k);
    } else if (v[0] === 'conda' && v[1] === 'run') {
      let k = 2;
      while (w[k] && w[k].value.startsWith('-')) k += /^(-n|--name|-p|--prefix)$/.test(w[k].value) ? 2 : 1;
      w = w.slice(k);
    } else return w;
  }
}

/** A container that starts a script or module that does not exist exits at once (and Cloud Run reports "failed to start"). */
export const containerCommandMissing = defineFileRule({
  code: 'DKR007',
  name: 'container-command-missing',
  severity: 'error',
  title: 'ENTRYPOINT/CMD runs a script or module that does not exist',
  doc: {
    what: "The final stage's ENTRYPOINT or CMD runs a Python script (`python src/digits/train.py`), a shell script, or an ASGI/WSGI app (`uvicorn digits.api:app`, `gunicorn digits.app:app`) whose file is not in the repository, following WORKDIR and COPY back to the source path.",
    why: 'The image builds fine and the container dies on start ("can\'t open file", "Could not import module"), typically after a file was renamed; in Cloud Run it shows up as a failed revision.',
    example: 'COPY src/ src/\nENTRYPOINT ["python", "-u", "src/digits/train_model.py"]   # the file is src/digits/train.py\n',
    fix: 'Point the command at the real file or module (`python -u src/digits/train.py`, `uvicorn digits.api:app`).',
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    const c = containerCommand(d.p);
    if (!c) return;
    const w = unwrap(c.words);
    if (!w.length) return;
    const prog = w[0].value.replace(/^.*\//, '');
    const checkScript = (word: Word): void => {
      if (/[$*{]/.test(word.value)) return;
      const sources = imagePathToSources(d.p, c.instr.stage, c.index, d.context, word.value, ctx.ws);
      if (!sources) return; // not copied from the build context: from the base image or installed, cannot tell
      if (sources.some((s) => ctx.ws.exists(s))) return;
      ctx.report({
        message: `${c.instr.keyword} runs ${word.value}, but ${sources[0]} (where the COPY instructions take it from) does not exist`,
        range: word.range,
      });
    };
    const checkModule = (word: Word, module: string): void => {
      if (/[$*{]/.test(module) || !/^[A-Za-z_][\w.]*$/.test(module)) return;
      if (moduleExists(ctx.ws, module)) return;
      const top = module.split('.')[0];
      const ownTop = moduleExists(ctx.ws, top) || [...ctx.ws.paths()].some((p) => p.startsWith(top + '/') || p.includes('/' + top + '/'));
      if (!ownTop) return; // not the project's package: an installed module, cannot tell
      ctx.report({
        message: `${c.instr.keyword} runs module ${module}, which does not exist in the project (no ${module.replace(/\./g, '/')}.py)`,
        range: word.range,
      });
    };
    if (/^python(3(\.\d+)?)?$/.test(prog)) {
      let k = 1;
      while (w[k] && w[k].value.startsWith('-') && w[k].value !== '-m' && w[k].value !== '-c') k++;
      if (!w[k] || w[k].value === '-c') return;
      if (w[k].value === '-m') {
        if (w[k + 1]) checkModule(w[k + 1], w[k + 1].value);
        return;
      }
      if (/\.py$/.test(w[k].value)) checkScript(w[k]);
      return;
    }
    if (/^(uvicorn|gunicorn|hypercorn)$/.test(prog)) {
      const app = w.slice(1).find((x) => /^[A-Za-z_][\w.]*:[A-Za-z_][\w()]*$/.test(x.value));
      if (app) checkModule(app, app.value.split(':')[0]);
      return;
    }
    if (/^streamlit$/.test(prog) && w[1]?.value === 'run' && w[2] && /\.py$/.test(w[2].value)) return checkScript(w[2]);
    if (/\.(sh|py)$/.test(w[0].value) && (w[0].value.includes('/') || w[0].value.startsWith('.'))) checkScript(w[0]);
  },
});
