import type { Rule } from '../../rule';
import { dvcYamlInvalid } from './pipelineSchema';
import { dvcTemplateError } from './pipelineTemplating';
import { dvcCycle, dvcDepMissing, dvcOutOverlap } from './pipelineGraph';
import { dvcCmdBackslash, dvcScriptMissing, dvcStageNoDepsNoOuts } from './stageCommands';
import { dvcOutNotIgnored, dvcOutTrackedByGit } from './stageOutsGit';
import { dvcParamsFileMissing, dvcParamsKeyMissing, dvcParamsUnused } from './pipelineParams';
import { dvcLockCmdChanged, dvcLockLegacy, dvcLockParamsChanged, dvcLockStageNotRun, dvcLockStageRemoved } from './pipelineLock';

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
  dvcLockStageNotRun,
  dvcLockStageRemoved,
  dvcLockCmdChanged,
  dvcLockParamsChanged,
  dvcLockLegacy,
  // data, .dvc files, config and status: DVC050-DVC099
];
