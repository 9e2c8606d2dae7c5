import { useRef, useState, type FormEvent } from 'react';
import { fieldErrors, messageFor } from '../messages';

/**
 * Submission state for a form: busy flag, a form-level error that takes focus (and is announced
 * by role="alert"), and per-field errors from a `validation_failed` problem.
 */
export function useFormSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const alertRef = useRef<HTMLDivElement>(null);

  function fail(message: string, perField: Record<string, string> = {}): void {
    setError(message);
    setFields(perField);
    requestAnimationFrame(() => alertRef.current?.focus());
  }

  function handler(action: () => Promise<void>, validate?: () => Record<string, string> | null) {
    return async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      if (busy) return;
      const problems = validate?.();
      if (problems && Object.keys(problems).length > 0) {
        fail('Some fields need attention.', problems);
        return;
      }
      setBusy(true);
      setError(null);
      setFields({});
      try {
        await action();
      } catch (e) {
        fail(messageFor(e), fieldErrors(e));
      } finally {
        setBusy(false);
      }
    };
  }

  return { busy, error, fields, alertRef, handler, fail, setError };
}
