import { normaliseName } from './dependencies';

/**
 * Which distribution provides an imported module (or a Hydra `_target_`), and which distributions a declared one
 * installs. One answer for DEP004 (imports) and HYD015 (`_target_`).
 */

/** Import names whose distribution has another name (top-level import -> distributions that provide it, best first). */
export const IMPORT_TO_DIST: Record<string, string[]> = {
  sklearn: ['scikit-learn'],
  skimage: ['scikit-image'],
  cv2: ['opencv-python', 'opencv-python-headless', 'opencv-contrib-python', 'opencv-contrib-python-headless'],
  PIL: ['pillow'],
  yaml: ['pyyaml'],
  bs4: ['beautifulsoup4'],
  dotenv: ['python-dotenv'],
  dateutil: ['python-dateutil'],
  jose: ['python-jose'],
  multipart: ['python-multipart'],
  magic: ['python-magic'],
  attr: ['attrs'],
  googleapiclient: ['google-api-python-client'],
  hydra: ['hydra-core'],
  lightning: ['lightning', 'pytorch-lightning'],
  pytorch_lightning: ['pytorch-lightning', 'lightning'],
  lightning_fabric: ['lightning-fabric', 'lightning'],
  fitz: ['pymupdf'],
  Crypto: ['pycryptodome'],
  OpenSSL: ['pyopenssl'],
  jwt: ['pyjwt'],
  serial: ['pyserial'],
  usb: ['pyusb'],
  git: ['gitpython'],
  github: ['pygithub'],
  docx: ['python-docx'],
  pptx: ['python-pptx'],
  zmq: ['pyzmq'],
  MySQLdb: ['mysqlclient'],
  psycopg2: ['psycopg2', 'psycopg2-binary'],
  wx: ['wxpython'],
  tensorflow: ['tensorflow', 'tensorflow-cpu', 'tensorflow-gpu', 'tensorflow-macos'],
  onnxruntime: ['onnxruntime', 'onnxruntime-gpu'],
  faiss: ['faiss-cpu', 'faiss-gpu'],
  umap: ['umap-learn'],
  Levenshtein: ['levenshtein', 'python-levenshtein'],
  ruamel: ['ruamel-yaml'],
  mpl_toolkits: ['matplotlib'],
  pkg_resources: ['setuptools'],
  _pytest: ['pytest'],
  pythonjsonlogger: ['python-json-logger'],
  slugify: ['python-slugify'],
  mlflow: ['mlflow', 'mlflow-skinny'],
  typer: ['typer', 'typer-slim'],
  torch_geometric: ['torch-geometric'],
  box: ['python-box'],
  imblearn: ['imbalanced-learn'],
  grpc: ['grpcio'],
  grpc_tools: ['grpcio-tools'],
  sentence_transformers: ['sentence-transformers'],
  huggingface_hub: ['huggingface-hub'],
  tree_sitter: ['tree-sitter'],
};

/**
 * Hydra plugins: the module under the `hydra_plugins` namespace package -> the distribution that ships it. Source:
 * facebookresearch/hydra, plugins/<module>/setup.py (`name=` and `find_namespace_packages(include=["hydra_plugins.*"])`),
 * read 2026-12-04. There is no distribution named "hydra-plugins": every plugin adds its module to the namespace.
 */
export const HYDRA_PLUGIN_DIST: Record<string, string> = {
  hydra_optuna_sweeper: 'hydra-optuna-sweeper',
  hydra_colorlog: 'hydra-colorlog',
  hydra_submitit_launcher: 'hydra-submitit-launcher',
  hydra_ray_launcher: 'hydra-ray-launcher',
  hydra_joblib_launcher: 'hydra-joblib-launcher',
  hydra_nevergrad_sweeper: 'hydra-nevergrad-sweeper',
  hydra_ax_sweeper: 'hydra-ax-sweeper',
  hydra_rq_launcher: 'hydra-rq-launcher',
};

/**
 * Options of Hydra's own config groups that a plugin provides (`override hydra/sweeper: optuna`), `group/option` ->
 * plugin module. Sources, read 2026-12-04: the ConfigStore registrations in facebookresearch/hydra's plugins
 * (hydra_submitit_launcher/config.py: hydra/launcher submitit_local and submitit_slurm; hydra_ray_launcher/_config.py:
 * ray and ray_aws; the optuna, nevergrad and ax sweepers' config.py: hydra/sweeper optuna, nevergrad, ax; joblib and
 * rq launchers: joblib, rq) and the colorlog plugin's documentation (hydra/job_logging and hydra/hydra_logging:
 * colorlog). hydra-core's own options (basic, default, disabled, none, stdout) need no plugin.
 */
export const HYDRA_PLUGIN_OPTIONS: Record<string, string> = {
  'hydra/sweeper/optuna': 'hydra_optuna_sweeper',
  'hydra/sweeper/nevergrad': 'hydra_nevergrad_sweeper',
  'hydra/sweeper/ax': 'hydra_ax_sweeper',
  'hydra/launcher/submitit_local': 'hydra_submitit_launcher',
  'hydra/launcher/submitit_slurm': 'hydra_submitit_launcher',
  'hydra/launcher/ray': 'hydra_ray_launcher',
  'hydra/launcher/ray_aws': 'hydra_ray_launcher',
  'hydra/launcher/joblib': 'hydra_joblib_launcher',
  'hydra/launcher/rq': 'hydra_rq_launcher',
  'hydra/job_logging/colorlog': 'hydra_colorlog',
  'hydra/hydra_logging/colorlog': 'hydra_colorlog',
};

/**
 * Distribution -> the distributions it requires (its `Requires-Dist` without extras), for the packages ML projects
 * use without declaring them because a declared one brings them along. Sources, read 2026-12-04: the Hydra plugins'
 * setup.py `install_requires` in facebookresearch/hydra (hydra-optuna-sweeper: hydra-core, optuna; hydra-colorlog:
 * colorlog, hydra-core; hydra-submitit-launcher: hydra-core, submitit; hydra-ray-launcher: boto3, hydra-core, ray,
 * aiohttp, cloudpickle; hydra-joblib-launcher: hydra-core, joblib), hydra-core's (omegaconf, antlr4-python3-runtime,
 * packaging) were read there, dvc's in iterative/dvc's pyproject.toml (hydra-core, requests, tqdm, packaging, rich,
 * networkx, typing-extensions among them); the others are the distributions' `Requires-Dist` as commonly published in their
 * recent releases, written from knowledge on that date and not looked up one by one (a missing entry only makes DEP004
 * and HYD015 report an import that a declared package already brings). Followed transitively.
 */
export const INSTALLS: Record<string, string[]> = {
  'hydra-core': ['omegaconf', 'antlr4-python3-runtime', 'packaging'],
  omegaconf: ['pyyaml', 'antlr4-python3-runtime'],
  'hydra-optuna-sweeper': ['hydra-core', 'optuna'],
  'hydra-colorlog': ['colorlog', 'hydra-core'],
  'hydra-submitit-launcher': ['hydra-core', 'submitit'],
  'hydra-ray-launcher': ['boto3', 'hydra-core', 'ray', 'aiohttp', 'cloudpickle'],
  'hydra-joblib-launcher': ['hydra-core', 'joblib'],
  optuna: ['alembic', 'colorlog', 'numpy', 'packaging', 'sqlalchemy', 'tqdm', 'pyyaml'],
  boto3: ['botocore', 'jmespath', 's3transfer'],
  s3fs: ['aiobotocore', 'fsspec', 'aiohttp'],
  aiobotocore: ['botocore'],
  fastapi: ['starlette', 'pydantic', 'typing-extensions'],
  pydantic: ['pydantic-core', 'typing-extensions', 'annotated-types'],
  typer: ['click', 'typing-extensions', 'rich', 'shellingham'],
  uvicorn: ['click', 'h11'],
  wandb: ['click', 'pyyaml', 'requests', 'protobuf', 'packaging'],
  'mlflow-skinny': ['click', 'pyyaml', 'requests', 'packaging', 'protobuf'],
  mlflow: ['mlflow-skinny', 'numpy', 'pandas', 'scikit-learn', 'scipy', 'matplotlib'],
  dvc: ['hydra-core', 'requests', 'tqdm', 'packaging', 'rich', 'networkx', 'typing-extensions'],
  lightning: ['torch', 'pyyaml', 'fsspec', 'lightning-utilities', 'torchmetrics', 'packaging', 'tqdm', 'typing-extensions'],
  'pytorch-lightning': ['torch', 'pyyaml', 'fsspec', 'lightning-utilities', 'torchmetrics', 'packaging', 'tqdm', 'typing-extensions'],
  torchmetrics: ['numpy', 'torch', 'lightning-utilities', 'packaging'],
  torch: ['filelock', 'typing-extensions', 'sympy', 'networkx', 'jinja2', 'fsspec'],
  torchvision: ['torch', 'numpy', 'pillow'],
  torchaudio: ['torch'],
  timm: ['torch', 'torchvision', 'pyyaml', 'huggingface-hub', 'safetensors'],
  transformers: ['huggingface-hub', 'numpy', 'packaging', 'pyyaml', 'regex', 'requests', 'tokenizers', 'safetensors', 'tqdm', 'filelock'],
  datasets: ['numpy', 'pandas', 'requests', 'tqdm', 'fsspec', 'huggingface-hub', 'pyyaml', 'pyarrow', 'filelock', 'packaging'],
  'huggingface-hub': ['filelock', 'fsspec', 'packaging', 'pyyaml', 'requests', 'tqdm', 'typing-extensions'],
  pandas: ['numpy', 'python-dateutil', 'pytz', 'tzdata'],
  'scikit-learn': ['numpy', 'scipy', 'joblib', 'threadpoolctl'],
  'imbalanced-learn': ['numpy', 'scipy', 'scikit-learn', 'joblib', 'threadpoolctl'],
  scipy: ['numpy'],
  matplotlib: ['numpy', 'pillow', 'packaging', 'python-dateutil', 'pyparsing', 'cycler', 'kiwisolver', 'fonttools', 'contourpy'],
  seaborn: ['numpy', 'pandas', 'matplotlib'],
  'opencv-python': ['numpy'],
  'opencv-python-headless': ['numpy'],
  tensorflow: ['numpy', 'protobuf', 'grpcio', 'packaging', 'requests'],
  'grpcio-tools': ['grpcio', 'protobuf', 'setuptools'],
  'google-cloud-storage': ['google-auth', 'google-api-core', 'google-cloud-core', 'google-resumable-media', 'requests', 'google-crc32c'],
  'google-cloud-core': ['google-api-core', 'google-auth'],
  'google-api-core': ['googleapis-common-protos', 'protobuf', 'proto-plus', 'google-auth', 'requests'],
  'google-api-python-client': ['httplib2', 'google-auth', 'google-auth-httplib2', 'google-api-core', 'uritemplate'],
  'dvc-gs': ['dvc', 'gcsfs'],
  'dvc-s3': ['dvc', 's3fs', 'aiobotocore'],
  gcsfs: ['fsspec', 'google-auth', 'google-cloud-storage', 'aiohttp', 'requests'],
  requests: ['charset-normalizer', 'idna', 'urllib3', 'certifi'],
  httpx: ['anyio', 'certifi', 'httpcore', 'idna'],
  pytest: ['iniconfig', 'packaging', 'pluggy'],
  'pytest-cov': ['pytest', 'coverage'],
};

/** The declared distributions and everything they install (transitively). */
export function installedWith(declared: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const todo = [...declared].map(normaliseName);
  while (todo.length) {
    const d = todo.pop()!;
    if (out.has(d)) continue;
    out.add(d);
    for (const x of INSTALLS[d] ?? []) todo.push(x);
  }
  // extras: `dvc[s3]` brings dvc-s3 (the names stay as declared; `dvc-s3` installs dvc)
  return out;
}

/** google.cloud modules whose distribution spells the service with a dash (google-cloud-secret-manager). */
const GOOGLE_CLOUD_DIST: Record<string, string> = { secretmanager: 'secret-manager', resourcemanager: 'resource-manager', errorreporting: 'error-reporting' };

/** A module (dotted, as imported or as a `_target_`), with what may provide it. */
export interface Provider {
  /** The part of the module that decides the distribution (`google.cloud.storage`, `hydra_plugins.hydra_colorlog`, `torch`). */
  name: string;
  /** Distributions that provide it, best first (normalised); empty when nothing can be said (`hydra_plugins` alone). */
  distributions: string[];
  /** Namespace packages (google, azure): any declared distribution under the namespace prefix may provide it. */
  namespacePrefix?: string;
}

/**
 * Which distribution provides a module. `names` are what `from <module> import ...` imports (for `from google.cloud
 * import storage`). Namespace packages: `hydra_plugins.X` comes from the plugin's distribution (HYDRA_PLUGIN_DIST, else
 * X with dashes); `google.cloud.X` from google-cloud-X, `google.X` from google-X (protobuf, google-auth and
 * google-api-core by their own names); `azure.X.Y` from azure-X-Y.
 */
export function providerOf(module: string, names: string[] = []): Provider {
  const parts = module.split('.');
  const top = parts[0];
  const dashed = (xs: string[]): string => normaliseName(xs.join('-'));
  if (top === 'hydra_plugins') {
    const p = parts[1];
    if (!p) return { name: module, distributions: [] };
    return { name: `hydra_plugins.${p}`, distributions: [HYDRA_PLUGIN_DIST[p] ?? normaliseName(p)] };
  }
  if (top === 'google') {
    const sub = parts[1] ?? (names.length === 1 ? names[0] : undefined);
    if (!sub) return { name: 'google', distributions: [], namespacePrefix: 'google-' };
    const fixed: Record<string, string> = {
      protobuf: 'protobuf',
      auth: 'google-auth',
      oauth2: 'google-auth',
      api_core: 'google-api-core',
      rpc: 'googleapis-common-protos',
      type: 'googleapis-common-protos',
      longrunning: 'google-api-core',
      _upb: 'protobuf',
    };
    if (fixed[sub]) return { name: `google.${sub}`, distributions: [fixed[sub]] };
    if (sub === 'cloud') {
      const svc = parts[2] ?? (names.length === 1 ? names[0] : undefined);
      if (!svc) return { name: 'google.cloud', distributions: [], namespacePrefix: 'google-cloud-' };
      // versioned API modules belong to the service's distribution: pubsub_v1 is google-cloud-pubsub
      const base = svc.replace(/_v\d+(?:(?:p\d+)?(?:alpha|beta)\d*)?$/, '');
      const dist = dashed(['google', 'cloud', GOOGLE_CLOUD_DIST[base] ?? base]);
      return { name: `google.cloud.${svc}`, distributions: [dist], namespacePrefix: dist };
    }
    return { name: `google.${sub}`, distributions: [dashed(['google', sub])], namespacePrefix: dashed(['google', sub]) };
  }
  if (top === 'azure') {
    const rest = parts.length > 1 ? parts.slice(1) : names.length === 1 ? names : [];
    if (!rest.length) return { name: 'azure', distributions: [], namespacePrefix: 'azure-' };
    return { name: ['azure', ...rest].join('.'), distributions: [dashed(['azure', ...rest.slice(0, 2)])], namespacePrefix: dashed(['azure', rest[0]]) };
  }
  const known = (IMPORT_TO_DIST[top] ?? []).map(normaliseName);
  const own = [normaliseName(top), normaliseName(top.replace(/_/g, '-'))];
  return { name: top, distributions: [...new Set([...known, ...(IMPORT_TO_DIST[top] ? [] : own)])] };
}

/** Whether a declared distribution (or one it installs) provides the module. */
export function isProvided(p: Provider, installed: Set<string>): boolean {
  if (p.distributions.some((d) => installed.has(d))) return true;
  if (p.namespacePrefix) {
    const prefix = p.namespacePrefix;
    if ([...installed].some((d) => d === prefix || d.startsWith(prefix.endsWith('-') ? prefix : prefix + '-'))) return true;
    return false;
  }
  if (!p.distributions.length) return true; // nothing to say
  // a declared distribution whose name extends the import name (dvc-gs for dvc, opencv-python for a renamed cv2 fork)
  const stem = normaliseName(p.name.replace(/_/g, '-'));
  return [...installed].some((d) => d.startsWith(stem + '-'));
}
