import { renderMarkdown, sanitizeHtml } from './sanitize.js';

/** Sanitised HTML (see sanitize.ts); the only places the page sets innerHTML. */
export function SafeHtml({ html, className }: { html: string; className?: string }) {
  return <div className={className} dangerouslySetInnerHTML={{ __html: sanitizeHtml(html) }} />;
}

export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div
      className={['markdown', className].filter(Boolean).join(' ')}
      dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }}
    />
  );
}
