// One error type for every adapter, so the loop and the page can branch on `code` and show
// `message` as is. Messages name the URL or model concerned and never contain an API key.

export type ModelErrorCode =
  /** Nothing answered: connection refused, DNS failure, connect timeout. */
  | 'unreachable'
  /** A browser blocked the request: the server does not allow this page's origin. */
  | 'cors'
  /** The server answered with an HTTP error status (see `status`). */
  | 'http'
  /** The server reported an error inside the stream. */
  | 'server'
  /** The server sent something that is not a chat-completion stream. */
  | 'malformed'
  /** The connection closed before the answer was complete. */
  | 'dropped'
  /** The server went silent for longer than the read timeout. */
  | 'read-timeout'
  /** The adapter was configured with something unusable (bad URL, unknown model). */
  | 'invalid-config'
  /** A replay file is not `{"responses": [string, …]}`. */
  | 'invalid-replay'
  /** The in-browser engine (WebLLM) failed. */
  | 'engine';

export interface ModelErrorDetails {
  /** HTTP status, for 'http'. */
  status?: number;
  /** Connection attempts made, for 'unreachable' and 'cors'. */
  attempts?: number;
  /** Answer text received before the failure ('dropped', 'read-timeout', 'malformed', …). */
  partialText?: string;
}

export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly status?: number;
  readonly attempts?: number;
  readonly partialText?: string;

  constructor(
    readonly code: ModelErrorCode,
    message: string,
    details: ModelErrorDetails = {},
  ) {
    super(message);
    this.status = details.status;
    this.attempts = details.attempts;
    this.partialText = details.partialText;
  }
}
