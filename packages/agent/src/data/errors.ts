/** PostgREST's error body `{code, details, hint, message}` with the HTTP status it answers with. */
export class PostgrestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null = null,
    readonly hint: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'PostgrestError';
  }

  body(): string {
    return JSON.stringify({
      code: this.code,
      details: this.details,
      hint: this.hint,
      message: this.message,
    });
  }
}

/** A query-string grammar failure (PGRST100), worded by the Parsec clone. */
export const parseError = (message: string, details: string): PostgrestError =>
  new PostgrestError(400, 'PGRST100', message, details);

export const rangeError = (details: string, headers: Record<string, string> = {}): PostgrestError =>
  new PostgrestError(416, 'PGRST103', 'Requested range not satisfiable', details, null, headers);

export const notImplemented = (what: string): PostgrestError =>
  new PostgrestError(
    400,
    'PGRST127',
    'Feature not implemented',
    `${what} is not supported by the embedded endpoint`,
  );

const OPERATOR_HINT =
  'No operator matches the given name and argument types. You might need to add explicit type casts.';

/** PostgreSQL's `operator does not exist`, which PostgREST answers with 404. */
export const undefinedOperator = (left: string, op: string, right: string): PostgrestError =>
  new PostgrestError(
    404,
    '42883',
    `operator does not exist: ${left} ${op} ${right}`,
    null,
    OPERATOR_HINT,
  );

export const undefinedColumn = (
  table: string,
  column: string,
  hint: string | null,
): PostgrestError =>
  new PostgrestError(400, '42703', `column ${table}.${column} does not exist`, null, hint);

export const invalidText = (type: string, value: string): PostgrestError =>
  new PostgrestError(400, '22P02', `invalid input syntax for type ${type}: ${pgQuote(value)}`);

/** PostgreSQL quotes the offending input with plain double quotes, no escaping. */
export const pgQuote = (value: string): string => `"${value}"`;

/**
 * The bodies of Supabase's API gateway for a missing or wrong key or an unknown path. The local
 * stack's front (packages/cli/src/supabase/front.ts) answers with these same objects.
 */
export const GATEWAY_ERRORS = {
  noApiKey: {
    message: 'No API key found in request',
    hint: 'No `apikey` request header or url param was found.',
  },
  invalidApiKey: {
    message: 'Invalid API key',
    hint: 'Double check your Supabase `anon` or `service_role` API key.',
  },
  noRoute: { message: 'no Route matched with those values' },
} as const;
