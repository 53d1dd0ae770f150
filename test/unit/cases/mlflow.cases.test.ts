import { ruleCases } from '../../support/ruleCases';

/** An MLflow project as MLflow's examples lay it out (sklearn_elasticnet_wine): MLproject, python_env.yaml, train.py. */
const MLPROJECT =
  'name: tutorial\n\npython_env: python_env.yaml\n\nentry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.5}\n      l1_ratio: {type: float, default: 0.1}\n      data: {type: uri, default: "file:///tmp/wine.csv"}\n    command: "python train.py {alpha} {l1_ratio}"\n';
const project = (mlproject: string, extra: Record<string, string> = {}) => ({
  'README.md': '# MLflow tutorial\n',
  MLproject: mlproject,
  'python_env.yaml': 'python: "3.11"\nbuild_dependencies:\n  - pip\ndependencies:\n  - mlflow==2.19.0\n  - scikit-learn==1.5.1\n',
  'train.py': 'import sys\n\nimport mlflow\n\nalpha = float(sys.argv[1])\n',
  ...extra,
});

ruleCases('MLF001', {
  valid: [{ name: 'the sklearn_elasticnet_wine layout', files: project(MLPROJECT) }],
  invalid: [
    {
      name: 'entrypoints instead of entry_points',
      files: project('name: digits\npython_env: python_env.yaml\nentrypoints:\n  main:\n    command: python train.py\n'),
      errors: [{ file: 'MLproject', line: 3, text: 'entrypoints', message: 'entry_points' }],
    },
  ],
});

ruleCases('MLF002', {
  valid: [{ name: 'python_env only', files: project(MLPROJECT) }],
  invalid: [
    {
      name: 'conda_env and python_env',
      files: project(MLPROJECT.replace('python_env: python_env.yaml\n', 'conda_env: conda.yaml\npython_env: python_env.yaml\n'), {
        'conda.yaml': 'name: t\ndependencies:\n  - python=3.11\n',
      }),
      errors: [{ file: 'MLproject', line: 4, text: 'python_env' }],
    },
  ],
});

ruleCases('MLF003', {
  valid: [{ name: 'python_env.yaml beside MLproject', files: project(MLPROJECT) }],
  invalid: [
    {
      name: 'conda.yaml named but absent',
      files: project(MLPROJECT.replace('python_env: python_env.yaml', 'conda_env: conda.yaml')),
      errors: [{ file: 'MLproject', line: 3, text: 'conda.yaml' }],
    },
  ],
});

ruleCases('MLF004', {
  valid: [{ name: 'float, uri with a scheme', files: project(MLPROJECT) }],
  invalid: [
    {
      name: 'an unknown type, a float default that is no number, a uri without scheme',
      files: project(
        'name: digits\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      epochs: {type: integer, default: 10}\n      lr: {type: float, default: fast}\n      data: {type: uri, default: data/train.csv}\n    command: python train.py {epochs} {lr} {data}\n',
      ),
      errors: [
        { file: 'MLproject', line: 6, text: 'integer' },
        { file: 'MLproject', line: 7, text: 'fast' },
        { file: 'MLproject', line: 8, text: 'data/train.csv' },
      ],
    },
  ],
});

ruleCases('MLF005', {
  valid: [{ name: 'every {name} declared', files: project(MLPROJECT) }],
  invalid: [
    {
      name: 'a {seed} not declared',
      files: project(
        'name: digits\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      lr: float\n    command: python train.py --lr {lr} --seed {seed}\n',
      ),
      errors: [{ file: 'MLproject', line: 7, message: 'seed' }],
    },
  ],
});
