import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../shared/protocol';

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
      // Model and data files carry GIT/DVC findings at 0:0; without them here, VS Code never asks the server for their
      // hover or quick fixes (found by the editor suite: no fix for GIT002 on models/best.ckpt).
      { scheme: 'file', pattern: '**/*.{pt,pth,ckpt,onnx,pkl,pickle,h5,hdf5,joblib,safetensors,keras,tflite,pb,bin,parquet,feather,arrow,npy,npz,csv,tsv,jsonl}' },
    ],
    initializationOptions,
    outputChannel: output,
    ...(errorHandler ? { errorHandler } : {}),
    synchronize: { configurationSection: 'mlopsHygiene' },
  };
  return new LanguageClient('mlopsHygiene', 'MLOps Hygiene', serverOptions, clientOptions);
}
