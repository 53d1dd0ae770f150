import type { Rule } from '../../rule';
import { credentialsCopied } from './credentials';
import { dataCopied } from './dataCopied';
import { sourceBeforeDependencies } from './layerOrder';
import { pipNoCacheDir, uvSyncNoCache, uvSyncUnlocked } from './installCache';
import { entrypointMissing } from './entrypoint';
import { hardCodedPort } from './port';
import { unpinnedBaseImage } from './baseImage';
import { dockerignoreMissing } from './dockerignore';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  credentialsCopied,
  dataCopied,
  sourceBeforeDependencies,
  pipNoCacheDir,
  uvSyncNoCache,
  uvSyncUnlocked,
  entrypointMissing,
  hardCodedPort,
  unpinnedBaseImage,
  dockerignoreMissing,
];
