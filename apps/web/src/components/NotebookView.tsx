import { z } from 'zod';
import { Markdown, SafeHtml } from './SafeHtml.js';

/**
 * An nbformat 4 notebook, read-only. Markdown cells and text/html outputs are sanitised; images are
 * shown only as PNG data; everything else is plain text.
 */
const Text = z
  .union([z.string(), z.array(z.string())])
  .transform((t) => (Array.isArray(t) ? t.join('') : t));

const OutputSchema = z.discriminatedUnion('output_type', [
  z.object({ output_type: z.literal('stream'), name: z.string().default('stdout'), text: Text }),
  z.object({
    output_type: z.literal('error'),
    ename: z.string(),
    evalue: z.string(),
    traceback: z.array(z.string()).default([]),
  }),
  z
    .object({ output_type: z.literal('execute_result'), data: z.record(z.string(), z.unknown()) })
    .loose(),
  z
    .object({ output_type: z.literal('display_data'), data: z.record(z.string(), z.unknown()) })
    .loose(),
]);
type Output = z.infer<typeof OutputSchema>;

const CellSchema = z
  .object({
    cell_type: z.string(),
    source: Text,
    outputs: z.array(z.unknown()).optional(),
    execution_count: z.number().nullable().optional(),
  })
  .loose();
const NotebookSchema = z.object({ cells: z.array(z.unknown()) }).loose();

// Tracebacks carry ANSI colour codes; the page shows plain text.
// eslint-disable-next-line no-control-regex -- ESC is exactly what ANSI codes start with
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

const text = (v: unknown) =>
  typeof v === 'string'
    ? v
    : Array.isArray(v) && v.every((x) => typeof x === 'string')
      ? v.join('')
      : null;

function RichOutput({ data }: { data: Record<string, unknown> }) {
  const png = text(data['image/png']);
  if (png && /^[A-Za-z0-9+/=\s]+$/.test(png)) {
    return (
      <img
        className="output-image"
        src={`data:image/png;base64,${png.replace(/\s/g, '')}`}
        alt="Figure output"
      />
    );
  }
  const html = text(data['text/html']);
  if (html) return <SafeHtml className="output-html" html={html} />;
  const plain = text(data['text/plain']);
  if (plain !== null) return <pre className="output-text">{plain}</pre>;
  return <p className="muted small">(an output of a kind this page does not show)</p>;
}

function OutputView({ output }: { output: Output }) {
  switch (output.output_type) {
    case 'stream':
      return (
        <pre className={`output-text ${output.name === 'stderr' ? 'stderr' : ''}`}>
          {output.text}
        </pre>
      );
    case 'error':
      return (
        <pre className="output-error">
          {output.traceback.length
            ? stripAnsi(output.traceback.join('\n'))
            : `${output.ename}: ${output.evalue}`}
        </pre>
      );
    default:
      return <RichOutput data={output.data} />;
  }
}

export function NotebookView({ source }: { source: string | null }) {
  if (source === null) return <p className="muted">The run has no analysis.ipynb.</p>;
  let cells: unknown[];
  try {
    cells = NotebookSchema.parse(JSON.parse(source)).cells;
  } catch {
    return <p className="error">analysis.ipynb is not a readable notebook.</p>;
  }
  return (
    <ol className="notebook" aria-label="Notebook cells">
      {cells.map((raw, i) => {
        const cell = CellSchema.safeParse(raw);
        if (!cell.success)
          return (
            <li key={i} className="muted">
              (unreadable cell)
            </li>
          );
        const { cell_type, source: src, outputs = [] } = cell.data;
        if (cell_type === 'markdown') {
          return (
            <li key={i} className="cell cell-markdown">
              <Markdown text={src} />
            </li>
          );
        }
        return (
          <li key={i} className="cell cell-code">
            <pre className="code" aria-label={`Code cell ${i + 1}`}>
              <code>{src}</code>
            </pre>
            {outputs.map((o, j) => {
              const out = OutputSchema.safeParse(o);
              return out.success ? (
                <OutputView key={j} output={out.data} />
              ) : (
                <p key={j} className="muted small">
                  (unreadable output)
                </p>
              );
            })}
          </li>
        );
      })}
    </ol>
  );
}
