// The files a run leaves: everything the sandbox's working directory holds, except the config file
// with the key, and with every known key removed (text) or the file withheld (binary).
import { REDACTED, redactSecrets, type RunFolderFiles } from '@localds/scorer';
import type { PythonSandbox } from '../sandbox/types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function decode(bytes: Uint8Array): string | null {
  try {
    const text = utf8.decode(bytes);
    return text.includes('\0') ? null : text;
  } catch {
    return null;
  }
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  if (!needle.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** `text` with the given key literals and anything key-shaped replaced by `[REDACTED]`. */
export function redactKeys(text: string, keys: readonly string[]): string {
  let out = text;
  for (const key of keys) if (key) out = out.split(key).join(REDACTED);
  return redactSecrets(out);
}

export interface RedactedFiles {
  files: RunFolderFiles;
  /** Binary files that held a key and were left out (their bytes cannot be edited safely). */
  withheld: string[];
}

/** Every file with keys removed: text redacted in place, binary files holding a key withheld. */
export function redactFiles(
  files: ReadonlyMap<string, Uint8Array>,
  keys: readonly string[],
): RedactedFiles {
  const out: RunFolderFiles = new Map();
  const withheld: string[] = [];
  const needles = keys.filter(Boolean).map((k) => encoder.encode(k));
  for (const [name, bytes] of files) {
    const text = decode(bytes);
    if (text === null) {
      if (needles.some((n) => containsBytes(bytes, n))) withheld.push(name);
      else out.set(name, bytes);
      continue;
    }
    const clean = redactKeys(text, keys);
    out.set(name, clean === text ? bytes : encoder.encode(clean));
  }
  return { files: out, withheld };
}

/** The sandbox's files (minus `exclude`), keys removed; withheld binaries are dropped. */
export async function collectFiles(
  sandbox: PythonSandbox,
  keys: readonly string[],
  exclude: readonly string[],
): Promise<RunFolderFiles> {
  return (await collectFilesReport(sandbox, keys, exclude)).files;
}

export async function collectFilesReport(
  sandbox: PythonSandbox,
  keys: readonly string[],
  exclude: readonly string[],
): Promise<RedactedFiles> {
  const names = (await sandbox.listFiles())
    .map((file) => file.name)
    .filter((name) => !exclude.includes(name));
  // All of them end up in memory anyway: read together.
  const contents = await Promise.all(names.map((name) => sandbox.readFile(name)));
  return redactFiles(new Map(names.map((name, i) => [name, contents[i]!])), keys);
}
