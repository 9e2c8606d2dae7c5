import { Children, forwardRef, type ReactNode } from 'react';

/**
 * An error or notice. Errors use role="alert" (announced at once); notices role="status".
 * Rendered empty rather than removed so a live region exists before its text changes.
 */
export const Alert = forwardRef<HTMLDivElement, { kind?: 'error' | 'success' | 'info'; children?: ReactNode }>(
  function Alert({ kind = 'error', children }, ref) {
    // Children.toArray drops null, undefined and booleans; an empty string is no content either.
    const hasContent = Children.toArray(children).some((c) => c !== '');
    return (
      <div
        ref={ref}
        role={kind === 'error' ? 'alert' : 'status'}
        tabIndex={-1}
        className={hasContent ? `alert alert-${kind}` : 'alert-empty'}
      >
        {hasContent ? children : null}
      </div>
    );
  },
);
