import { cleanTotp } from '../twoStep';
import { Field, type FieldProps } from './Field';

export type TotpFieldProps = Omit<FieldProps, 'name' | 'onValueChange' | 'inputMode' | 'autoComplete' | 'pattern' | 'maxLength'> & {
  onValueChange(value: string): void;
};

/** A 6-digit authenticator code: numeric keyboard, one-time-code autofill, spaces and dashes dropped as typed. */
export function TotpField({ onValueChange, className, ...rest }: TotpFieldProps) {
  return (
    <Field
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={6}
      onValueChange={(v) => onValueChange(cleanTotp(v))}
      className={className ?? 'code-input'}
      {...rest}
    />
  );
}
