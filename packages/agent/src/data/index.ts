export { createEmbeddedEndpoint } from './handler.js';
export type {
  EmbeddedEndpointOptions,
  EndpointHandler,
  EndpointRequest,
  EndpointResponse,
} from './handler.js';
export { toFetch, isUnderBase } from './fetch.js';
export { GATEWAY_ERRORS, PostgrestError } from './errors.js';
export { pgTable } from './table.js';
export type { ColumnDef, TableDef } from './table.js';
export type { PgType } from './pg-types.js';
