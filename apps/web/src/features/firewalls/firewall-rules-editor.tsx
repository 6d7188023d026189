import { PlusIcon, Trash2Icon } from 'lucide-react';
import { useFieldArray, useWatch, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import type { FieldFor } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { splitList } from '../../lib/format.ts';

/** One rule as the form edits it: its sources or destinations in one box, comma-separated. */
export type RuleForm = { protocol: string; ports: string; endpoints: string };
export type RulesForm = { inbound: RuleForm[]; outbound: RuleForm[] };
type Direction = 'inbound' | 'outbound';

/** What the pickers offer: the project's droplets and apps by name, and the tags they carry. */
export interface EndpointChoices {
  droplets: ReadonlyArray<{ id: string; name: string; tags?: readonly string[] }>;
  apps: ReadonlyArray<{ id: string; name: string; tags?: readonly string[] }>;
  /** "droplet web-1", "tag web", or the address itself. */
  name: (endpoint: string) => string;
}

export const tagsOf = (choices: Pick<EndpointChoices, 'droplets' | 'apps'>) =>
  [...new Set([...choices.droplets, ...choices.apps].flatMap((r) => r.tags ?? []))].sort();

/** The "apply to tags" hint, with the tags in use to choose from. */
export const tagsHint = (tags: readonly string[]) =>
  `Every droplet and app with one of these tags, separated by commas${tags.length > 0 ? `; in use: ${tags.join(', ')}` : ''}.`;

/**
 * Input paths → form fields for the rules: a rule's `sources.3` or `destinations.0` is its
 * endpoints box, an issue about the rule itself (icmp with ports) lands on its ports.
 */
export const ruleFieldFor =
  <TForm extends RulesForm & FieldValues>(): FieldFor<TForm> =>
  (path) => {
    const [head, index, leaf] = path.split('.');
    if ((head !== 'inbound' && head !== 'outbound') || index === undefined) return undefined;
    const at = `${head}.${Number(index)}`;
    if (leaf === 'protocol') return `${at}.protocol` as Path<TForm>;
    if (leaf === 'sources' || leaf === 'destinations') return `${at}.endpoints` as Path<TForm>;
    return `${at}.ports` as Path<TForm>;
  };

/** The form's rules as the API takes them; an empty ports box means every port. */
export const rulesInput = (f: RulesForm) => ({
  inbound: f.inbound.map((r) => ({
    protocol: r.protocol,
    ports: r.ports.trim() || 'all',
    sources: splitList(r.endpoints),
  })),
  outbound: f.outbound.map((r) => ({
    protocol: r.protocol,
    ports: r.ports.trim() || 'all',
    destinations: splitList(r.endpoints),
  })),
});

export const toRuleForm = (
  r: { protocol: string; ports: string },
  endpoints: readonly string[],
): RuleForm => ({
  protocol: r.protocol,
  ports: r.ports,
  endpoints: endpoints.join(', '),
});

/**
 * Any number of inbound or outbound rules, for create and edit alike. Each rule's sources or
 * destinations are picked by name (a droplet, an app, a tag) or typed (addresses, CIDRs), and
 * read back by name under the box, so nobody has to copy an id.
 */
export function RulesEditor<TForm extends RulesForm & FieldValues>({
  form: typedForm,
  direction,
  choices,
}: {
  form: UseFormReturn<TForm, unknown, unknown>;
  direction: Direction;
  choices: EndpointChoices;
}) {
  // The rules are the part of the form this edits; the rest of it is the dialog's.
  const form = typedForm as unknown as UseFormReturn<RulesForm, unknown, unknown>;
  const rules = useFieldArray({ control: form.control, name: direction });
  const inbound = direction === 'inbound';
  const tags = tagsOf(choices);
  return (
    <fieldset className="grid gap-3 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">{inbound ? 'Inbound rules' : 'Outbound rules'}</legend>
      {rules.fields.length === 0 ? (
        <p className="text-xs text-muted-foreground">
          {inbound
            ? 'No inbound rules: nothing can reach the targets.'
            : 'No outbound rules: the targets may reach anything.'}
        </p>
      ) : null}
      {rules.fields.map((field, i) => (
        <div
          key={field.id}
          role="group"
          aria-label={`${inbound ? 'Inbound' : 'Outbound'} rule ${i + 1}`}
          className="grid gap-2 border-b pb-3 last:border-0 last:pb-0"
        >
          <div className="grid grid-cols-[7rem_1fr_auto] items-end gap-2">
            <FormField form={form} name={`${direction}.${i}.protocol`} label="Protocol">
              {(p) => (
                <NativeSelect {...p}>
                  <option value="tcp">TCP</option>
                  <option value="udp">UDP</option>
                  <option value="icmp">ICMP</option>
                </NativeSelect>
              )}
            </FormField>
            <FormField form={form} name={`${direction}.${i}.ports`} label="Ports">
              {(p) => <Input autoComplete="off" placeholder="all" {...p} />}
            </FormField>
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Remove ${direction} rule ${i + 1}`}
              onClick={() => rules.remove(i)}
            >
              <Trash2Icon />
            </Button>
          </div>
          <FormField
            form={form}
            name={`${direction}.${i}.endpoints`}
            label={inbound ? 'Sources' : 'Destinations'}
            hint="Addresses or CIDRs, separated by commas; add droplets, apps and tags with the picker."
          >
            {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
          </FormField>
          <EndpointPicker form={form} at={`${direction}.${i}.endpoints`} choices={choices} tags={tags} />
        </div>
      ))}
      <Button
        variant="outline"
        size="sm"
        className="justify-self-start"
        onClick={() =>
          rules.append({
            protocol: 'tcp',
            ports: inbound ? '443' : 'all',
            endpoints: inbound ? '0.0.0.0/0, ::/0' : '0.0.0.0/0',
          })
        }
      >
        <PlusIcon aria-hidden /> Add {direction} rule
      </Button>
    </fieldset>
  );
}

function EndpointPicker({
  form,
  at,
  choices,
  tags,
}: {
  form: UseFormReturn<RulesForm, unknown, unknown>;
  at: `${Direction}.${number}.endpoints`;
  choices: EndpointChoices;
  tags: readonly string[];
}) {
  const value = useWatch({ control: form.control, name: at }) ?? '';
  const current = splitList(value);
  const add = (endpoint: string) => {
    if (!endpoint || current.includes(endpoint)) return;
    form.setValue(at, [...current, endpoint].join(', '), { shouldDirty: true });
  };
  const named = current.filter((e) => choices.name(e) !== e);
  return (
    <div className="grid gap-1">
      <NativeSelect
        aria-label={`Add to ${at.startsWith('inbound') ? 'sources' : 'destinations'} of rule ${Number(at.split('.')[1]) + 1}`}
        value=""
        onChange={(e) => add(e.target.value)}
        className="h-8 text-xs"
      >
        <option value="">Add a droplet, app or tag…</option>
        {choices.droplets.length > 0 ? (
          <optgroup label="Droplets">
            {choices.droplets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {choices.apps.length > 0 ? (
          <optgroup label="Apps">
            {choices.apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {tags.length > 0 ? (
          <optgroup label="Tags">
            {tags.map((t) => (
              <option key={t} value={`tag:${t}`}>
                {t}
              </option>
            ))}
          </optgroup>
        ) : null}
      </NativeSelect>
      {named.length > 0 ? (
        <p className="text-xs text-muted-foreground">Includes {named.map(choices.name).join(', ')}.</p>
      ) : null}
    </div>
  );
}
