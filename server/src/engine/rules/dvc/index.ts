import type { Rule } from '../../rule';
import { dvcYamlInvalid } from './pipelineSchema';
import { dvcTemplateError } from './pipelineTemplating';
import { dvcCycle, dvcDepMissing, dvcOutOverlap } from './pipelineGraph';
import { dvcCmdBackslash, dvcScriptMissing, dvcStageNoDepsNoOuts } from './stageCommands';
import { dvcOutNotIgnored, dvcOutTrackedByGit } from './stageOutsGit';
import { dvcParamsFileMissing, dvcParamsKeyMissing, dvcParamsUnused } from './pipelineParams';
import { dvcUndeclaredWrite } from './stageWrites';
import { dvcLockCmdChanged, dvcLockLegacy, dvcLockParamsChanged, dvcLockStageNotRun, dvcLockStageRemoved } from './pipelineLock';
import { dvcFileStructure, dvcOutNotIgnored as dvcFileOutNotIgnored, dvcOutTrackedByGit as dvcFileOutTrackedByGit, legacyDvcHash } from './dvcFiles';
import { dvcStageOutOfDate } from './stageStatus';
import { credentialsInConfig, dataWithoutDvc, gdriveRemote, gsRemoteNotVersionAware, noDefaultRemote, remotePluginMissing } from './dvcConfig';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  // pipelines (dvc.yaml, params, dvc.lock): DVC001-DVC049
  dvcYamlInvalid,
  dvcTemplateError,
  dvcDepMissing,
  dvcOutOverlap,
  dvcCycle,
  dvcScriptMissing,
  dvcOutTrackedByGit,
  dvcOutNotIgnored,
  dvcStageNoDepsNoOuts,
  dvcCmdBackslash,
  dvcParamsFileMissing,
  dvcParamsKeyMissing,
  dvcParamsUnused,
  dvcUndeclaredWrite,
  dvcLockStageNotRun,
  dvcLockStageRemoved,
  dvcLockCmdChanged,
  dvcLockParamsChanged,
  dvcLockLegacy,
  // DVC050-DVC099: .dvc files, dvc.lock structure, .dvc/config, data
  dvcFileStructure,
  dvcFileOutNotIgnored,
  dvcFileOutTrackedByGit,
  legacyDvcHash,
  noDefaultRemote,
  gdriveRemote,
  remotePluginMissing,
  credentialsInConfig,
  gsRemoteNotVersionAware,
  dataWithoutDvc,
  dvcStageOutOfDate,
];
