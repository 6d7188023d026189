import type * as React from 'react';
import { useId } from 'react';
import type { FieldValues, Path, UseFormRegisterReturn, UseFormReturn } from 'react-hook-form';
import { Label } from './ui/label.tsx';

export interface FieldControlProps<TName extends string> extends UseFormRegisterReturn<TName> {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

export interface FormFieldProps<TForm extends FieldValues, TOutput> {
  form: UseFormReturn<TForm, unknown, TOutput>;
  name: Path<TForm>;
  label: string;
  hint?: React.ReactNode;
  /** Renders the control with the props that label it, describe it and register it. */
  children: (control: FieldControlProps<Path<TForm>>) => React.ReactNode;
}

/** A labelled control with its hint and its error (from the schema or from the server) beneath. */
export function FormField<TForm extends FieldValues, TOutput>({
  form,
  name,
  label,
  hint,
  children,
}: FormFieldProps<TForm, TOutput>) {
  const id = useId();
  const error = form.getFieldState(name, form.formState).error?.message;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  // `content-start`: beside a field with a hint, a shorter one is stretched to the same height;
  // its rows stay at the top instead of spreading out, so the two inputs line up.
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': describedBy,
        ...form.register(name),
      })}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-destructive">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
