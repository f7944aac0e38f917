import { useState } from 'react';
import { ScriptedBadge } from './Status.js';

/** The title of a run in progress in this tab: its model, scripted or not, live. */
export function LiveTitle({ modelName, scripted }: { modelName: string; scripted: boolean }) {
  return (
    <h1>
      {modelName} <ScriptedBadge scripted={scripted} />
      <span className="badge">live</span>
    </h1>
  );
}

/** A WebLLM model's download and compile, while it loads (nothing otherwise). */
export function ModelProgress({
  progress,
}: {
  progress: { text: string; progress: number } | null | undefined;
}) {
  if (!progress) return null;
  return (
    <label className="progress">
      Model download and compile: {progress.text}
      <progress max={1} value={progress.progress} />
    </label>
  );
}

/** Stops a run in progress; disabled once asked, and once the run has ended. */
export function StopButton({ run }: { run: { phase: string; stop: () => void } }) {
  const [stopping, setStopping] = useState(false);
  return (
    <button
      type="button"
      className="danger"
      disabled={stopping || run.phase === 'done' || run.phase === 'failed'}
      onClick={() => {
        setStopping(true);
        run.stop();
      }}
    >
      {stopping ? 'Stopping…' : 'Stop'}
    </button>
  );
}
