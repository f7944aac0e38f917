// The one rule for a file name the harness accepts from its caller: a path relative to the run directory
// that never climbs out of it. Isomorphic; the Node level also resolves symlinks (run-dir.ts).

/** Throws unless `name` is a non-empty relative path without `..` segments. */
export function checkRunFileName(
  name: string,
  isAbsolute: (name: string) => boolean = (path) => path.startsWith('/'),
): void {
  if (!name || isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
    throw new Error(
      `invalid file name ${JSON.stringify(name)}: use a path relative to the run directory`,
    );
  }
}
