import { useEffect, useRef, useState, type FormEvent } from 'react';
import { RotorApiError } from '@rotor/client';
import { placeError } from '../messages';

/** The lower-cased names of a form's inputs: where field errors can be shown. */
function fieldNames(form: HTMLFormElement): string[] {
  return Array.from(form.elements)
    .map((element) => (element as HTMLInputElement).name?.toLowerCase())
    .filter((name): name is string => Boolean(name));
}

/**
 * Submission state for a form: busy flag, per-field errors, and a form-level error for what belongs to no field.
 * Each message is said once: at its field (which then takes focus), or in the banner (role="alert", focused).
 */
export function useFormSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const alertRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement | null>(null);
  /** Bumped by each failure; the effect below moves focus once the error is on the page. */
  const [failures, setFailures] = useState(0);
  const focusBanner = useRef(false);

  // After the render that shows the error (so a field's aria-invalid is there to find): the banner, or the first
  // field in error, takes focus and is read out.
  useEffect(() => {
    if (failures === 0) return;
    if (focusBanner.current) alertRef.current?.focus();
    else (formRef.current ?? alertRef.current?.closest('form'))?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failures]);

  /** Shows `message` in the banner (null: none) and `perField` at the fields; focuses what the user must read. */
  function fail(message: string | null, perField: Record<string, string> = {}, errorCode: string | null = null): void {
    setError(message);
    setCode(errorCode);
    setFields(perField);
    focusBanner.current = message !== null;
    setFailures((n) => n + 1);
  }

  function clear(): void {
    setError(null);
    setCode(null);
    setFields({});
  }

  function handler(action: () => Promise<void>, validate?: () => Record<string, string> | null) {
    return async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      formRef.current = event.currentTarget;
      if (busy) return;
      const problems = validate?.();
      if (problems && Object.keys(problems).length > 0) {
        fail(null, problems);
        return;
      }
      setBusy(true);
      clear();
      try {
        await action();
      } catch (e) {
        const placed = placeError(e, formRef.current ? fieldNames(formRef.current) : []);
        fail(placed.banner, placed.fields, e instanceof RotorApiError ? e.code : null);
      } finally {
        setBusy(false);
      }
    };
  }

  return { busy, error, code, fields, alertRef, handler, fail, setError, clear };
}
