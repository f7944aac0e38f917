import { useEffect, useId, useState } from 'react';

/**
 * A read-only link with a Copy button (the share-link views). Copies with `navigator.clipboard` and
 * says that it copied, or why it could not (the field stays selectable for a manual copy).
 */
export function LinkField({
  label,
  help,
  value,
  testId,
}: {
  label: string;
  help?: string | undefined;
  value: string;
  testId: string;
}) {
  const id = useId();
  const [status, setStatus] = useState<string | null>(null);
  // A new link has not been copied yet.
  useEffect(() => setStatus(null), [value]);
  const copy = () => {
    if (!navigator.clipboard) {
      setStatus('Copying is not available here: select the link and copy it.');
      return;
    }
    navigator.clipboard.writeText(value).then(
      () => setStatus('Copied'),
      (e: Error) => setStatus(`Not copied (${e.message}): select the link and copy it.`),
    );
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="link-field">
        <input
          id={id}
          readOnly
          value={value}
          data-testid={testId}
          aria-describedby={help ? `${id}-help` : undefined}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={copy} aria-describedby={`${id}-copied`}>
          Copy
        </button>
      </div>
      <span id={`${id}-copied`} role="status" className="small" data-testid={`${testId}-copied`}>
        {status}
      </span>
      {help && (
        <span id={`${id}-help`} className="muted small">
          {help}
        </span>
      )}
    </div>
  );
}
