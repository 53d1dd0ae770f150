import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../shared/protocol';
import { ARTEFACT_FILE_PATTERN } from './selector';

/** Starts the language server (dist/server.js, a separate Node process, so the extension host stays free). */
export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, errorHandler?: ErrorHandler): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = { trusted: vscode.workspace.isTrusted };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'toml' },
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'file', language: 'python' },
      { scheme: 'file', language: 'ignore' },
      { scheme: 'file', language: 'pip-requirements' },
      { scheme: 'file', pattern: '**/*.{dvc,toml,txt,cfg,ini,env,json}' },
      { scheme: 'file', pattern: '**/{.gitignore,.dockerignore,.env,Dockerfile,MLproject,Makefile}' },
      { scheme: 'file', pattern: '**/.dvc/config' },
      // model and data files: their findings' hover and quick fixes (selector.ts)
      { scheme: 'file', pattern: ARTEFACT_FILE_PATTERN },
    ],
    initializationOptions,
    outputChannel: output,
    ...(errorHandler ? { errorHandler } : {}),
    synchronize: { configurationSection: 'mlopsHygiene' },
  };
  return new LanguageClient('mlopsHygiene', 'MLOps Hygiene', serverOptions, clientOptions);
}
