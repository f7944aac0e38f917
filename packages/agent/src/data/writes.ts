import { PostgrestError } from './errors.js';
import { parseReadQuery } from './query-params.js';
import type { TableDef } from './table.js';

/**
 * A write, refused as PostgREST refuses it for a role granted only SELECT: after the checks
 * PostgREST makes first (method, query grammar, body, write-specific rules), 42501.
 */
export function refuseWrite(
  table: TableDef,
  method: string,
  query: string,
  headers: Record<string, string | undefined>,
  body: string | undefined,
): never {
  if (!['POST', 'PATCH', 'PUT', 'DELETE'].includes(method))
    throw new PostgrestError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
  const parsed = parseReadQuery(query);
  if (
    (method === 'PATCH' || method === 'DELETE') &&
    parsed.range !== undefined &&
    parsed.order.length === 0
  )
    throw new PostgrestError(
      400,
      'PGRST109',
      "A 'limit' was applied without an explicit 'order'",
      null,
      "Apply an 'order' using unique column(s)",
    );
  if (method !== 'DELETE') {
    const type = (headers['content-type'] ?? 'application/json')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    if (type !== 'application/json')
      throw new PostgrestError(400, 'PGRST102', `Content-Type not acceptable: ${type}`);
    let payload: unknown;
    try {
      payload = JSON.parse(body ?? '');
    } catch {
      throw new PostgrestError(400, 'PGRST102', 'Empty or invalid json');
    }
    for (const object of Array.isArray(payload) ? payload : [payload]) {
      if (typeof object !== 'object' || object === null)
        throw new PostgrestError(400, 'PGRST102', 'Empty or invalid json');
      const unknown = Object.keys(object).find((k) => !table.columns.some((c) => c.name === k));
      if (unknown !== undefined)
        throw new PostgrestError(
          400,
          'PGRST204',
          `Column '${unknown}' of relation '${table.name}' does not exist`,
        );
    }
  }
  const only = parsed.filters[0];
  const byPrimaryKey =
    parsed.logic.length === 0 &&
    parsed.filters.length === 1 &&
    only?.field.name === table.columns[0]?.name &&
    only?.expr.operation.kind === 'op' &&
    only.expr.operation.op === 'eq' &&
    !only.expr.negated;
  if (method === 'PUT' && !byPrimaryKey)
    throw new PostgrestError(
      405,
      'PGRST105',
      "Filters must include all and only primary key columns with 'eq' operators",
    );
  throw new PostgrestError(401, '42501', `permission denied for table ${table.name}`, null, null, {
    'www-authenticate': 'Bearer',
  });
}
