// Whose failure a failed model call is. A score is a claim about a model, so a server that never
// answered (refused the connection, could not be reached, died before its first byte, refused
// the configured key or model name) ends the run as an environment error, never scored; a model
// that answered badly, slowly or brokenly (an HTTP 500, a read timeout, a stream dropped after
// it began, output that is not a chat stream) keeps model_error: that is the model's run.
import { ModelError } from '../model/errors.js';
import { EndOfRun, message } from './end-of-run.js';

/** HTTP statuses that say the request was misconfigured (the key, the URL, the model name). */
const CONFIGURATION_STATUSES = new Set([401, 403, 404]);

function neverAnswered(error: unknown, received: boolean): boolean {
  if (!(error instanceof ModelError)) return false;
  switch (error.code) {
    case 'unreachable':
    case 'cors':
      return true;
    case 'dropped':
      // The response began (or not) but not one token came: the server died, not the model.
      return !received && !error.partialText;
    case 'http':
      return error.status !== undefined && CONFIGURATION_STATUSES.has(error.status);
    default:
      return false;
  }
}

/**
 * The end of a run whose model call failed with `error` (the adapter's ModelError, or whatever it
 * threw); `received` is whether any answer or reasoning text had streamed in.
 */
export function modelFailure(error: unknown, received: boolean): EndOfRun {
  const said = error === undefined ? 'the model reported an error' : message(error);
  if (neverAnswered(error, received)) {
    return new EndOfRun(
      'environment_error',
      `the model server never answered, so this is not the model's score: ${said}`,
      'model',
    );
  }
  return new EndOfRun('model_error', said);
}
