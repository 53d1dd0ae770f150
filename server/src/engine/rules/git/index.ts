import type { Rule } from '../../rule';
import { dataFileNotIgnored, dataFileTracked } from './dataFiles';
import { noGitignore } from './gitignore';
import { junkFilesTracked } from './junkFiles';
import { fileOverGithubLimit } from './largeFiles';
import { modelFileNotIgnored, modelFileTracked } from './modelFiles';
import { runFolderCommitted, runFolderNotIgnored } from './runFolders';

/** Rules of this family, in code order. Add a rule by adding its file here. */
export const rules: Rule[] = [
  modelFileTracked,
  modelFileNotIgnored,
  dataFileTracked,
  dataFileNotIgnored,
  runFolderNotIgnored,
  runFolderCommitted,
  fileOverGithubLimit,
  junkFilesTracked,
  noGitignore,
];
