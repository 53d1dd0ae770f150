/** DVC data: hashing as DVC does, the hash cache, `.dvc` files, dvc.lock entries, `.dvc/config`, and the native status. */
export { hashBytes, hashFile, isTextBlock, dirHash, dirManifest, pyJsonDumps, type HashName, type DirEntry } from './hashing';
export { HashCache, defaultCacheDir } from './hashCache';
export { TreeHasher, type PathHash, type HashProgress } from './tree';
export { StatPool } from './statPool';
export { readDvcFile, lockedEntry, recordedAsFolder, resolveRel, isDvcFile, type RecordedEntry, type DvcFileInfo } from './dvcFiles';
export {
  parseDvcConfig,
  readDvcConfig,
  dvcRoots,
  dvcRootOf,
  configValue,
  remotes,
  cacheDirOf,
  type DvcConfig,
  type ConfigSection,
  type ConfigOption,
} from './dvcConfig';
export { dataStatus, cacheObjectPaths, objectInCache, type DataStatus, type DataItemStatus, type DataStageStatus, type DataStatusOptions } from './status';
