import type { ReactNode } from 'react';
import { isEnvironmentRun } from '../runs/comparability.js';
import type { RunRecord } from '../storage/run-record.js';

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

/** The notice a scripted run's page opens with: its score is not a model's. */
export function ScriptedNotice({ scripted }: { scripted: boolean }) {
  return scripted ? (
    <p className="notice">
      This is a scripted replay, not a live model: its score says nothing about a model.
    </p>
  ) : null;
}

/**
 * The label of a run that ended because the environment or harness failed (packages that would not
 * load, a sandbox that did not start, ...): never the model's score. The end detail says what failed.
 */
export function EnvironmentBadge({ run }: { run: RunRecord }) {
  if (!isEnvironmentRun(run)) return null;
  return (
    <span
      className="badge badge-environment"
      data-testid="environment-error"
      title={run.endDetail ?? run.endReason ?? undefined}
    >
      environment error
    </span>
  );
}
