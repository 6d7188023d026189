import { useId } from 'react';
import type * as React from 'react';
import { Controller, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';

export interface CheckboxOption {
  value: string;
  label: React.ReactNode;
}

/** A labelled group of checkboxes editing a string array field, with its error beneath. */
export function CheckboxList<TForm extends FieldValues, TOutput>({
  form,
  name,
  legend,
  options,
  empty,
}: {
  form: UseFormReturn<TForm, unknown, TOutput>;
  name: Path<TForm>;
  legend: string;
  options: CheckboxOption[];
  /** Shown instead of the boxes when there is nothing to choose. */
  empty: React.ReactNode;
}) {
  const id = useId();
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => {
        const selected = (field.value as string[] | undefined) ?? [];
        return (
          <fieldset className="grid gap-1.5" aria-describedby={fieldState.error ? `${id}-error` : undefined}>
            <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
            {options.length === 0 ? <p className="text-xs text-muted-foreground">{empty}</p> : null}
            <div className="grid max-h-40 gap-1 overflow-y-auto">
              {options.map((o) => (
                <label key={o.value} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={selected.includes(o.value)}
                    onBlur={field.onBlur}
                    onChange={(e) =>
                      field.onChange(
                        e.target.checked ? [...selected, o.value] : selected.filter((v) => v !== o.value),
                      )
                    }
                  />
                  {o.label}
                </label>
              ))}
            </div>
            {fieldState.error ? (
              <p id={`${id}-error`} className="text-xs font-medium text-destructive">
                {fieldState.error.message}
              </p>
            ) : null}
          </fieldset>
        );
      }}
    />
  );
}
