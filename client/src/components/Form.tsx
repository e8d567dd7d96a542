import type { InputHTMLAttributes, ReactNode, Ref } from 'react';

/** A labelled input whose value the caller holds; the other input attributes are passed on (less `Omitted`). */
type LabelledInputProps<Omitted extends string = never> = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'children' | Omitted> & {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  ref?: Ref<HTMLInputElement>;
};

type TextFieldProps = LabelledInputProps & {
  /** Shown under the input, inside the field (a "show password" checkbox). */
  children?: ReactNode;
};

/** A labelled, required input of a form; the other input attributes are passed on. */
export function TextField({ id, label, value, onValueChange, children, ...input }: TextFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} onChange={(e) => onValueChange(e.target.value)} required {...input} />
      {children}
    </div>
  );
}

/** A form's wide primary button, disabled and saying what it does while the form is busy. */
export function SubmitButton({ busy, label, busyLabel }: { busy: boolean; label: string; busyLabel: string }) {
  return (
    <button type="submit" className="button primary wide" disabled={busy}>
      {busy ? busyLabel : label}
    </button>
  );
}

/** A field for a username (or an email): filled in by the browser, never capitalised or spell-checked. */
export function UsernameField(props: Omit<TextFieldProps, 'autoComplete' | 'autoCapitalize' | 'spellCheck'>) {
  return <TextField {...props} autoComplete="username" autoCapitalize="none" spellCheck={false} />;
}

/**
 * A search box of a list: its label read by screen readers only (the placeholder says it on
 * screen), no autocomplete or spell check.
 */
export function SearchInput({ id, label, value, onValueChange, ...input }: LabelledInputProps<'type'>) {
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input id={id} type="search" value={value} onChange={(e) => onValueChange(e.target.value)} autoComplete="off" spellCheck={false} {...input} />
    </>
  );
}
