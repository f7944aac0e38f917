// Debian's Chromium, driven by playwright-core (which downloads no browser of its own).
import { access, constants } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The browser binary: LOCALDS_CHROMIUM, else Debian's. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOCALDS_CHROMIUM || DEFAULT_CHROMIUM;
}

/** The browser is missing or would not start: the environment's failure, never the model's. */
export class ChromiumUnavailableError extends Error {
  override name = 'ChromiumUnavailableError';
}

/**
 * The standard headless flags, plus walls that routing cannot give: no DNS for any host (the host page
 * is served by routing, which needs none) and no UDP outside a proxy (WebRTC's STUN).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** Launches headless Chromium from `path`; a missing or broken binary is a ChromiumUnavailableError. */
export async function launchChromium(path = chromiumPath()): Promise<Browser> {
  try {
    await access(path, constants.X_OK);
  } catch {
    throw new ChromiumUnavailableError(
      `Chromium was not found at ${path}: rendering a visual benchmark needs it. Install Debian's ` +
        '"chromium" package (apt-get install chromium) or set LOCALDS_CHROMIUM to a Chromium binary.',
    );
  }
  try {
    return await chromium.launch({ executablePath: path, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new ChromiumUnavailableError(
      `Chromium at ${path} would not start: ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
}
