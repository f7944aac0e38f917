import { useEffect, useRef } from 'react';

/**
 * Asks before the page may send anything to servers that are not on this machine. Nothing is
 * requested until the user allows it; Escape or "Don't allow" keeps the link's remote URLs out.
 */
export function ConsentDialog({
  targets,
  onAllow,
  onDeny,
}: {
  targets: string[];
  onAllow: () => void;
  onDeny: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="consent"
      aria-labelledby="consent-title"
      aria-describedby="consent-body"
      onCancel={(e) => {
        e.preventDefault();
        onDeny();
      }}
    >
      <h2 id="consent-title">This link names servers outside this machine</h2>
      <div id="consent-body">
        <p>The settings in this link would send your prompts, code or data requests to:</p>
        <ul>
          {targets.map((t) => (
            <li key={t} className="mono">
              {t}
            </li>
          ))}
        </ul>
        <p>Nothing has been sent yet. Use these servers?</p>
      </div>
      <div className="actions">
        <button type="button" onClick={onDeny} autoFocus>
          Don&rsquo;t allow
        </button>
        <button type="button" className="primary" onClick={onAllow}>
          Allow these servers
        </button>
      </div>
    </dialog>
  );
}
