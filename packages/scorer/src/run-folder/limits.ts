// What a run folder may hold before it is read: imported and downloaded folders can hold anything, so
// sizes are capped before any byte is read and JSON nesting before it is walked. The same caps apply in
// the CLI (files on disk) and the page (picked files, zip entries).

export const RUN_FOLDER_LIMITS = {
  /** Any one file; a run's largest honest file (run.json with its outputs) stays far below. */
  maxFileBytes: 64 * 1024 * 1024,
  /** The whole folder. */
  maxTotalBytes: 512 * 1024 * 1024,
  maxFiles: 10_000,
  /** Directory levels below the run folder. */
  maxDirDepth: 32,
  /**
   * Arrays/objects inside one another in a JSON file. Python's json gives up near 1000 (its recursion
   * limit), so the article's scorer could not read a deeper file either.
   */
  maxJsonDepth: 512,
} as const;

/** A file of the folder that was not read, and why (never anything read from it or its target). */
export interface RefusedFile {
  path: string;
  reason: string;
}

const MiB = 1024 * 1024;
export const formatMiB = (bytes: number) => `${(bytes / MiB).toFixed(bytes < MiB ? 2 : 0)} MiB`;

export function tooLargeReason(size: number): string {
  return `${formatMiB(size)}, over the ${formatMiB(RUN_FOLDER_LIMITS.maxFileBytes)} cap for one file (not read)`;
}

/**
 * Whether `text` nests arrays/objects deeper than `max` (strings skipped): a linear scan, so a
 * 100,000-level file is refused with a plain message instead of overflowing a recursive walk later.
 */
export function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      if (++depth > max) return true;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return false;
}
