import type { Rule } from '../../rule';
import { credentialsCopiedIntoImage } from './credentials';
import { dataCopiedIntoImage } from './dataCopiedIntoImage';
import { sourceCopiedBeforeDependencies } from './layerOrder';
import { pipInstallWithoutNoCacheDir, uvSyncWithoutCacheSetting, uvSyncNotLocked } from './installCache';
import { containerCommandMissing } from './entrypoint';
import { serverPortHardCoded } from './port';
import { baseImageUnpinned } from './baseImage';
import { dockerignoreLetsBulkIn } from './dockerignore';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  credentialsCopiedIntoImage,
  dataCopiedIntoImage,
  sourceCopiedBeforeDependencies,
  pipInstallWithoutNoCacheDir,
  uvSyncWithoutCacheSetting,
  uvSyncNotLocked,
  containerCommandMissing,
  serverPortHardCoded,
  baseImageUnpinned,
  dockerignoreLetsBulkIn,
];
