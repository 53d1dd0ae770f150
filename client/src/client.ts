import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../shared/protocol';

/** Starts the language server (dist/server.js, a separate Node process, so the extension host stays free). */
export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
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
    ],
    initializationOptions,
    outputChannel: output,
    synchronize: { configurationSection: 'mlopsHygiene' },
  };
  return new LanguageClient('mlopsHygiene', 'MLOps Hygiene', serverOptions, clientOptions);
}
