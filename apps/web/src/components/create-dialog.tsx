import { useState } from 'react';
import type * as React from 'react';
import {
  useForm,
  type DefaultValues,
  type FieldErrors,
  type FieldValues,
  type Path,
  type Resolver,
  type UseFormReturn,
} from 'react-hook-form';
import { useParams } from 'react-router';
import type { z } from 'zod';
import { errorMessage, fieldWords, isUncloudError, issueReason, plainReason } from '../lib/errors.ts';
import { QuotasLink } from './quota-notice.tsx';
import { Button } from './ui/button.tsx';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from './ui/dialog.tsx';

/** Maps an input path (`"tags.0"`, `"inbound.0.sources.1"`) to the form field that edits it. */
export type FieldFor<TForm> = (path: string) => Path<TForm> | undefined;

const topLevelField =
  <TForm extends FieldValues>(fields: readonly string[]): FieldFor<TForm> =>
  (path) => {
    const head = path.split('.')[0] ?? '';
    return fields.includes(head) ? (head as Path<TForm>) : undefined;
  };

const issuePath = (path: ReadonlyArray<PropertyKey>) => path.map(String).join('.');

/** What a form checks beyond the schema (which env line repeats a name), by field. */
export type FormCheck<TForm> = (form: TForm) => Partial<Record<Path<TForm>, string>>;

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>(
    (v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined),
    input,
  );

const quoted = (text: string) => `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;

/**
 * A reason about one item of a list field (a tag, a domain, an env name) names the item, so that a
 * person sees which of the several they typed is refused; reasons that quote it already stay as
 * they are.
 */
const reasonNamingItem = (issue: z.core.$ZodIssue, input: unknown) => {
  const reason = issueReason(issue);
  if (issue.path.length < 2 || reason.startsWith('"')) return reason;
  const last = issue.path.at(-1)!;
  if (issue.code === 'invalid_key') return `${quoted(String(last))}: ${reason}`;
  const value = valueAt(input, issue.path);
  if (typeof value === 'string' && typeof last === 'number') return `${quoted(value)} ${reason}`;
  return `${fieldWords(issuePath(issue.path.slice(1)))} ${reason}`;
};

/**
 * A react-hook-form resolver that validates with the SDK's own input schema, so that the browser
 * rejects exactly what the server would, with the same words. `toInput` turns the form's values
 * (mostly strings) into the API input; issues are mapped back onto the field that caused them.
 * `check` adds what only the form can tell (which line of a text area).
 */
export const sdkResolver =
  <TForm extends FieldValues, TOutput>(
    schema: z.ZodType<TOutput>,
    toInput: (form: TForm) => unknown,
    fieldFor: FieldFor<TForm>,
    check?: FormCheck<TForm>,
  ): Resolver<TForm, unknown, TOutput> =>
  async (values) => {
    const errors: Record<string, { type: string; message: string }> = {};
    for (const [field, message] of Object.entries(check?.(values) ?? {}))
      if (typeof message === 'string') errors[field] = { type: 'validate', message };
    const input = toInput(values);
    const result = await schema.safeParseAsync(input);
    if (result.success && Object.keys(errors).length === 0) return { values: result.data, errors: {} };
    for (const issue of result.error?.issues ?? []) {
      const path = issuePath(issue.path);
      const field = fieldFor(path);
      const key = field ?? 'root';
      errors[key] ??= {
        type: 'validate',
        message: field ? reasonNamingItem(issue, input) : `${fieldWords(path)} ${issueReason(issue)}`,
      };
    }
    return { values: {}, errors: errors as FieldErrors<TForm> };
  };

/** Puts a server's validation and conflict errors next to the fields they concern. */
export const applyServerError = <TForm extends FieldValues, TOutput>(
  form: UseFormReturn<TForm, unknown, TOutput>,
  error: unknown,
  fieldFor: FieldFor<TForm>,
) => {
  // A quota refusal is about the project, not about any one field: said above the form, with a link.
  if (isUncloudError(error, 'QUOTA_EXCEEDED')) {
    form.setError('root.server', { type: 'quota', message: errorMessage(error) });
    return;
  }
  const data = isUncloudError(error) ? error : null;
  const unplaced: string[] = [];
  let placed = false;
  for (const [path, reasons] of Object.entries(data?.fieldErrors ?? {})) {
    const field = fieldFor(path);
    if (field) {
      form.setError(
        field,
        { type: 'server', message: reasons.map(plainReason).join('; ') },
        { shouldFocus: !placed },
      );
      placed = true;
    } else unplaced.push(`${fieldWords(path)} ${reasons.map(plainReason).join(' and ')}`);
  }
  if (!placed && data?.field) {
    const field = fieldFor(data.field);
    if (field) {
      form.setError(field, { type: 'server', message: errorMessage(error) }, { shouldFocus: true });
      placed = true;
    }
  }
  if (!placed || unplaced.length > 0) {
    form.setError('root.server', {
      type: 'server',
      message: unplaced.length > 0 ? unplaced.join('. ') : errorMessage(error),
    });
  }
};

/** What a resource page hands its create dialog. */
export interface ResourceCreateDialogProps {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger?: React.ReactNode;
}

export interface CreateDialogProps<TForm extends FieldValues, TOutput> {
  title: string;
  description: React.ReactNode;
  /** The button that opens the dialog. */
  trigger?: React.ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** The SDK's `Create*Input` schema. */
  schema: z.ZodType<TOutput>;
  /** Every field the form shows, with its initial value. */
  defaultValues: TForm;
  /** Form values → API input (add `projectId`, split lists, parse numbers). */
  toInput?: (form: TForm) => unknown;
  /** Input path → form field; by default the path's first segment when the form has that field. */
  fieldFor?: FieldFor<TForm>;
  onSubmit: (input: TOutput) => Promise<unknown>;
  submitLabel?: string;
  /** The submit button's text while the request runs. */
  pendingLabel?: string;
  /** Shown above the form as it opens (a warning that the project is at its quota). */
  notice?: React.ReactNode;
  /** Checks beyond the schema, by field (a repeated env name, with its line). */
  check?: FormCheck<TForm>;
  children: (form: UseFormReturn<TForm, unknown, TOutput>) => React.ReactNode;
}

/**
 * The one create pattern: a dialog, a form validated by the SDK schema, server errors on fields.
 * Edits that fit one dialog (quota limits) use it too, with their own labels.
 */
export function CreateDialog<TForm extends FieldValues, TOutput>(props: CreateDialogProps<TForm, TOutput>) {
  const [ownOpen, setOwnOpen] = useState(false);
  const open = props.open ?? ownOpen;
  const setOpen = (next: boolean) => {
    setOwnOpen(next);
    props.onOpenChange?.(next);
  };
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {props.trigger ? <DialogTrigger asChild>{props.trigger}</DialogTrigger> : null}
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogDescription>{props.description}</DialogDescription>
        </DialogHeader>
        {/* Mounted only while open, so that every opening starts from a fresh form. */}
        {open ? <CreateForm {...props} onDone={() => setOpen(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function CreateForm<TForm extends FieldValues, TOutput>({
  schema,
  defaultValues,
  toInput = (form) => form,
  fieldFor,
  onSubmit,
  submitLabel = 'Create',
  pendingLabel = 'Creating…',
  notice,
  check,
  children,
  onDone,
}: CreateDialogProps<TForm, TOutput> & { onDone: () => void }) {
  const [mapField] = useState<FieldFor<TForm>>(
    () => fieldFor ?? topLevelField<TForm>(Object.keys(defaultValues)),
  );
  const form = useForm<TForm, unknown, TOutput>({
    defaultValues: defaultValues as DefaultValues<TForm>,
    resolver: sdkResolver(schema, toInput, mapField, check),
  });
  const submit = form.handleSubmit(async (input) => {
    try {
      await onSubmit(input);
      onDone();
    } catch (error) {
      applyServerError(form, error, mapField);
    }
  });
  const { projectId } = useParams();
  const rootError = form.formState.errors.root?.server?.message ?? form.formState.errors.root?.message;
  const overQuota = form.formState.errors.root?.server?.type === 'quota';
  return (
    <form noValidate className="grid gap-4" onSubmit={(e) => void submit(e)}>
      {rootError ? (
        <p
          role="alert"
          className="rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm text-destructive"
        >
          {rootError}
          {overQuota && projectId ? (
            <>
              {' '}
              <QuotasLink projectId={projectId} />
            </>
          ) : null}
        </p>
      ) : null}
      {rootError ? null : notice}
      {children(form)}
      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? pendingLabel : submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}
