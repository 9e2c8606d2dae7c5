import { useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'>;

export interface FieldProps extends InputProps {
  label: string;
  value: string;
  onValueChange(value: string): void;
  error?: string | undefined;
  hint?: ReactNode;
  /** Live status under the field (e.g. availability), announced politely. */
  status?: ReactNode;
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function Field({ label, value, onValueChange, error, hint, status, type = 'text', ...rest }: FieldProps) {
  const id = useId();
  const [reveal, setReveal] = useState(false);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  // An error replaces the live status (e.g. "✗ already taken"), so the same thing is never said twice.
  const showStatus = status !== undefined && !error;
  const statusId = showStatus ? `${id}-status` : undefined;
  const describedBy = [errorId, hintId, statusId].filter(Boolean).join(' ') || undefined;
  const isPassword = type === 'password';
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <div className={isPassword ? 'input-row' : undefined}>
        <input
          id={id}
          type={isPassword && reveal ? 'text' : type}
          value={value}
          onChange={(e) => onValueChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...rest}
        />
        {isPassword ? (
          <button
            type="button"
            className="ghost small"
            aria-pressed={reveal}
            aria-label={reveal ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
            onClick={() => setReveal((r) => !r)}
          >
            {reveal ? 'Hide' : 'Show'}
          </button>
        ) : null}
      </div>
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {showStatus ? (
        <p id={statusId} className="field-status" aria-live="polite">
          {status}
        </p>
      ) : null}
    </div>
  );
}
