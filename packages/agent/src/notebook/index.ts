export { buildNotebook, serializeNotebook, SCRIPTED_NOTE, type NotebookMeta } from './build.js';
export { withRecordedNotebook, MODEL_NOTEBOOK } from './files.js';
export {
  validateNotebook,
  NotebookV4Schema,
  NbCellSchema,
  NbOutputSchema,
  type NotebookV4,
  type NbCell,
  type NbOutput,
} from './schema.js';
