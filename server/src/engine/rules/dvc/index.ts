import type { Rule } from '../../rule';
import { dvcFileStructure, dvcOutNotIgnored, dvcOutTrackedByGit, legacyDvcHash } from './dvcFiles';
import { credentialsInConfig, dataWithoutDvc, gdriveRemote, gsRemoteNotVersionAware, noDefaultRemote, remotePluginMissing } from './dvcConfig';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  // DVC050-DVC099: .dvc files, dvc.lock structure, .dvc/config, data
  dvcFileStructure,
  dvcOutNotIgnored,
  dvcOutTrackedByGit,
  legacyDvcHash,
  noDefaultRemote,
  gdriveRemote,
  remotePluginMissing,
  credentialsInConfig,
  gsRemoteNotVersionAware,
  dataWithoutDvc,
];
