import type { Rule } from '../../rule';
import { dvcYamlInvalid } from './pipelineSchema';
import { dvcTemplateError } from './pipelineTemplating';
import { dvcPipelineCycle, dvcDepMissing, dvcOutOverlap } from './pipelineGraph';
import { dvcCmdWindowsPath, dvcScriptMissing, dvcStageWithoutDepsOrOuts } from './stageCommands';
import { stageOutNotIgnored, stageOutTrackedByGit } from './stageOutsGit';
import { dvcParamsFileMissing, dvcParamsKeyMissing, dvcParamsUnused } from './pipelineParams';
import { stageWritesUndeclaredOutput } from './stageWrites';
import { dvcStageCmdChanged, dvcLockLegacyFormat, dvcStageParamsChanged, dvcStageNeverRun, dvcLockStageRemoved } from './pipelineLock';
import { dvcFileStructure, dvcOutNotIgnored as dvcFileOutNotIgnored, dvcOutTrackedByGit as dvcFileOutTrackedByGit, legacyDvc2Hash } from './dvcFiles';
import { dvcStageOutOfDate } from './stageStatus';
import { credentialsInDvcConfig, dataWithoutDvc, gdriveRemote, gsRemoteNotVersionAware, noDefaultRemote, remotePluginMissing } from './dvcConfig';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  // pipelines (dvc.yaml, params, dvc.lock): DVC001-DVC049
  dvcYamlInvalid,
  dvcTemplateError,
  dvcDepMissing,
  dvcOutOverlap,
  dvcPipelineCycle,
  dvcScriptMissing,
  stageOutTrackedByGit,
  stageOutNotIgnored,
  dvcStageWithoutDepsOrOuts,
  dvcCmdWindowsPath,
  dvcParamsFileMissing,
  dvcParamsKeyMissing,
  dvcParamsUnused,
  stageWritesUndeclaredOutput,
  dvcStageNeverRun,
  dvcLockStageRemoved,
  dvcStageCmdChanged,
  dvcStageParamsChanged,
  dvcLockLegacyFormat,
  // DVC050-DVC099: .dvc files, dvc.lock structure, .dvc/config, data
  dvcFileStructure,
  dvcFileOutNotIgnored,
  dvcFileOutTrackedByGit,
  legacyDvc2Hash,
  noDefaultRemote,
  gdriveRemote,
  remotePluginMissing,
  credentialsInDvcConfig,
  gsRemoteNotVersionAware,
  dataWithoutDvc,
  dvcStageOutOfDate,
];
