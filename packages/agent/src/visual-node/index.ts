// Node-only (`@localds/agent/visual-node`): the Playwright renderer and the run's pictures. Apart from
// `@localds/agent/node` so that importing the Python sandboxes never loads playwright-core.
export {
  NodeVisualRenderer,
  HOST_URL,
  HOST_CSP,
  screenshotChanges,
  type NodeRendererOptions,
} from './renderer.js';
export {
  ChromiumUnavailableError,
  CHROMIUM_ARGS,
  DEFAULT_CHROMIUM,
  chromiumPath,
  launchChromium,
} from './chromium.js';
export { animatedPreview, contactSheet, renderImages, type ImageOptions } from './images.js';
