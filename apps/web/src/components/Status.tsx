import type { ReactNode } from 'react';

/** An empty state: what is missing and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

export function ErrorBox({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="error" role="alert">
      <p className="error-title">{title}</p>
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** The label every scripted run carries, wherever it is shown. */
export function ScriptedBadge({ scripted }: { scripted: boolean }) {
  return scripted ? (
    <span className="badge badge-scripted" title="A replayed script, not a live model">
      scripted
    </span>
  ) : null;
}
