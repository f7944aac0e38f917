import type { VoteOutcome } from '@localds/scorer/score-stats';
import { useState } from 'react';
import { arenaModel, type Contestant } from '../arena/contestant.js';
import { saveVote } from '../storage/votes-db.js';
import { pairKey, type VoteRecord } from '../storage/vote-record.js';
import { ScriptedBadge } from './Status.js';
import { VisualFrame } from './VisualFrame.js';
import './arena.css';

const CHOICES: { outcome: VoteOutcome; label: string }[] = [
  { outcome: 'left', label: 'Left is better' },
  { outcome: 'right', label: 'Right is better' },
  { outcome: 'tie', label: 'Tie' },
  { outcome: 'both_bad', label: 'Both bad' },
];

const OUTCOME_TEXT: Record<VoteOutcome, string> = {
  left: 'left is better',
  right: 'right is better',
  tie: 'a tie',
  both_bad: 'both bad',
};

/**
 * Two runs of one prompt side by side, playing, with nothing on the page that says whose they are
 * until the vote is saved; then the models are revealed. Sides are whatever the caller chose (random).
 * `previous` is this browser's earlier vote on the pair: the pair is then shown revealed, not votable.
 */
export function BlindVote({
  benchmark,
  left,
  right,
  previous,
  onVoted,
}: {
  benchmark: string;
  left: Contestant;
  right: Contestant;
  previous?: VoteRecord | undefined;
  onVoted?: (vote: VoteRecord) => void;
}) {
  const [vote, setVote] = useState<VoteRecord | null>(previous ?? null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const cast = (outcome: VoteOutcome) => {
    const now = new Date().toISOString();
    const record: VoteRecord = {
      id: crypto.randomUUID(),
      createdAt: now,
      pair_id: pairKey(left.runId, right.runId),
      benchmark,
      left: { run_id: left.runId, model: arenaModel(left) },
      right: { run_id: right.runId, model: arenaModel(right) },
      outcome,
      voted_at: now,
    };
    setSaving(true);
    saveVote(record).then(
      () => {
        setVote(record);
        setSaving(false);
        onVoted?.(record);
      },
      (e: Error) => {
        setSaving(false);
        setError(`The vote was not saved: ${e.message}`);
      },
    );
  };

  return (
    <section className="blind-vote" aria-label="Blind vote" data-testid="blind-vote">
      <div className="arena-pair">
        {(
          [
            ['Left', left],
            ['Right', right],
          ] as const
        ).map(([side, c]) => (
          <div key={side} className="arena-side" data-side={side.toLowerCase()}>
            <h3>{side}</h3>
            <VisualFrame
              html={c.html}
              title={`${side} animation`}
              testId={`frame-${side.toLowerCase()}`}
            />
            {vote && (
              <p className="arena-reveal" data-testid={`reveal-${side.toLowerCase()}`}>
                <strong>{c.model}</strong> <ScriptedBadge scripted={c.scripted} />{' '}
                <span className="muted small mono">run {c.runId}</span>
              </p>
            )}
          </div>
        ))}
      </div>
      {vote ? (
        <p role="status" data-testid="vote-saved">
          {previous ? 'You voted on this pair before: ' : 'Vote saved: '}
          {OUTCOME_TEXT[vote.outcome]}
          {vote.outcome === 'left' || vote.outcome === 'right'
            ? ` (${vote[vote.outcome].model})`
            : ''}
          .
        </p>
      ) : (
        <div className="actions" role="group" aria-label="Your vote">
          {CHOICES.map(({ outcome, label }) => (
            <button key={outcome} type="button" disabled={saving} onClick={() => cast(outcome)}>
              {label}
            </button>
          ))}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
