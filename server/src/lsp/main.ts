import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Server } from './server';

// Transport (stdio, ipc, socket) is chosen by the command line, as vscode-languageserver does it.
new Server(createConnection(ProposedFeatures.all)).listen();
