// Shared pieces of the adversarial run tests: a witness server, and readers for what a run left
// behind (notebook outputs, the harness's answers to the model, the sandbox's child processes).
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunJson } from '@localds/scorer';

export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
}
export interface Notebook {
  cells: { cell_type: string; source: string | string[]; outputs?: NotebookOutput[] }[];
}
export interface NotebookError {
  ename: string;
  evalue: string;
}

/** A server on 127.0.0.1 that counts every connection: any number above zero is an escape. */
export interface Witness {
  url: string;
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

export async function witnessServer(): Promise<Witness> {
  let connections = 0;
  const server: Server = createServer((_req, res) => res.end('reached the host'));
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A notebook field that nbformat allows as one string or a list of lines. */
export const text = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v.join('') : (v ?? '');

/** The notebook's code cells' outputs, one list per cell. */
export function codeOutputs(notebook: Notebook): NotebookOutput[][] {
  return notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.outputs ?? []);
}

export function notebookErrors(notebook: Notebook): NotebookError[] {
  return codeOutputs(notebook)
    .flat()
    .filter((o) => o.output_type === 'error')
    .map((o) => ({ ename: o.ename ?? '', evalue: o.evalue ?? '' }));
}

/** The user messages that answered each turn (the results), in order. */
export function resultMessages(runJson: RunJson): string[] {
  return runJson.transcript
    .slice(2)
    .filter((t) => t.role === 'user')
    .map((t) => t.content);
}

/** Live (non-zombie) processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(ppid) === pid && state !== 'Z' ? [Number(name)] : [];
      } catch {
        return []; // gone between the listing and the read
      }
    });
}
