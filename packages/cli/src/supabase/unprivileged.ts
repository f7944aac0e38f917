import { readFile } from 'node:fs/promises';

/** The user and group the database processes run as. */
export interface RunAs {
  uid: number;
  gid: number;
}

function lookup(file: string, name: string): number | undefined {
  for (const line of file.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined) return Number(fields[2]);
  }
  return undefined;
}

/**
 * PostgreSQL refuses to run as root, so when we are root the database processes run as
 * `nobody`/`nogroup`; otherwise they run as the current user (undefined: no switch needed).
 * Read from /etc/passwd and /etc/group because Node has no getpwnam.
 */
export async function unprivilegedUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = await readFile('/etc/passwd', 'utf8');
  const group = await readFile('/etc/group', 'utf8');
  const uid = lookup(passwd, 'nobody');
  if (uid === undefined) {
    throw new Error(
      'running as root, but there is no `nobody` user to run PostgreSQL as; run localds as a regular user',
    );
  }
  const primaryGid = Number(
    passwd
      .split('\n')
      .find((l) => l.startsWith('nobody:'))
      ?.split(':')[3],
  );
  const gid = lookup(group, 'nogroup') ?? primaryGid;
  return { uid, gid };
}
