import { ARTEFACT_EXTENSIONS } from '../../shared/artefacts';

/**
 * The model and data files the client attaches to the language server (shared/artefacts.ts: the engine's own list).
 * They carry GIT/DVC findings at 0:0; without them in the document selector, VS Code never asks the server for their
 * hover or quick fixes (found by the editor suite: no fix for GIT002 on models/best.ckpt).
 */
export const ARTEFACT_FILE_PATTERN = `**/*.{${ARTEFACT_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;
