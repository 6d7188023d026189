import { ForwardingRule, type LoadBalancer, issueReason } from '@uncloud/sdk';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { FormField } from '../../components/form-field.tsx';
import { Input, NativeSelect, Textarea } from '../../components/ui/input.tsx';

/**
 * The settings a load balancer's create and edit forms share: its forwarding rules (one per line),
 * its health check and its HTTPS certificate.
 */
export type LoadBalancerSettingsForm = {
  rules: string;
  checkProtocol: 'tcp' | 'http' | 'https';
  checkPort: string;
  checkPath: string;
  intervalSeconds: string;
  timeoutSeconds: string;
  healthyThreshold: string;
  unhealthyThreshold: string;
  /** `keep`: the certificate it has (edit only). */
  certificateSource: 'none' | 'uploaded' | 'cert-manager' | 'keep';
  certificate: string;
  privateKey: string;
  redirectHttpToHttps: boolean;
};

const PROTOCOLS = ['tcp', 'udp', 'http', 'https'] as const;

/** "HTTPS 443 8080 shop.example.com": the rule as a line of the rules field. */
export const ruleLine = (rule: ForwardingRule) =>
  [rule.entryProtocol.toUpperCase(), rule.entryPort, rule.targetPort, rule.hostname ?? ''].join(' ').trim();

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

interface ParsedLine {
  line: number;
  rule: { entryProtocol: string; entryPort: number; targetPort: number; hostname: string | null };
}

/** The non-empty lines of the rules field, read as rules (what cannot be read is left to `rulesProblem`). */
const parseRules = (text: string): ParsedLine[] =>
  text.split('\n').flatMap((raw, i) => {
    const words = raw.replace(/→|->/g, ' ').trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const [protocol = '', entry = '', target = '', hostname] = words;
    return [
      {
        line: i + 1,
        rule: {
          entryProtocol: protocol.toLowerCase(),
          entryPort: number(entry),
          targetPort: number(target),
          hostname: hostname ?? null,
        },
      },
    ];
  });

/**
 * What is wrong with the rules field, naming the line: a line that is not a rule, a value the API
 * refuses, an entry port used twice. Null when all is well.
 */
export const rulesProblem = (text: string): string | null => {
  const lines = parseRules(text);
  if (lines.length === 0) return 'Add at least one rule, e.g. "HTTP 80 8080".';
  const seen = new Map<string, number>();
  for (const { line, rule } of lines) {
    const at = `Line ${line}`;
    if (!(PROTOCOLS as readonly string[]).includes(rule.entryProtocol))
      return `${at}: start with the protocol (TCP, UDP, HTTP or HTTPS), then the entry port and the droplet port.`;
    const checked = ForwardingRule.safeParse(rule);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const what = { entryPort: 'the entry port', targetPort: 'the droplet port', hostname: 'the hostname' }[
        String(issue.path[0]) as 'entryPort'
      ];
      return `${at}: ${what ?? 'the rule'} ${issueReason(issue)}.`;
    }
    if (rule.hostname && rule.entryProtocol !== 'http' && rule.entryProtocol !== 'https')
      return `${at}: only HTTP and HTTPS rules have a hostname; remove it, or make the rule HTTP.`;
    const key = `${rule.entryProtocol === 'udp' ? 'udp' : 'tcp'}/${rule.entryPort}`;
    const first = seen.get(key);
    if (first !== undefined)
      return `${at} uses entry port ${rule.entryPort} again (line ${first}); keep one of them.`;
    seen.set(key, line);
  }
  return null;
};

export const settingsDefaults = (lb?: LoadBalancer): LoadBalancerSettingsForm => ({
  rules: lb ? lb.forwardingRules.map(ruleLine).join('\n') : 'HTTP 80 80',
  checkProtocol: lb?.healthCheck.protocol ?? 'tcp',
  checkPort: lb ? String(lb.healthCheck.port) : '',
  checkPath: lb?.healthCheck.path ?? '',
  intervalSeconds: String(lb?.healthCheck.intervalSeconds ?? 10),
  timeoutSeconds: String(lb?.healthCheck.timeoutSeconds ?? 5),
  healthyThreshold: String(lb?.healthCheck.healthyThreshold ?? 3),
  unhealthyThreshold: String(lb?.healthCheck.unhealthyThreshold ?? 3),
  certificateSource: lb?.tlsCertificate ? 'keep' : 'none',
  certificate: '',
  privateKey: '',
  redirectHttpToHttps: lb?.redirectHttpToHttps ?? false,
});

/** The API's fields for the settings (`tlsCertificate` left out to keep the one it has). */
export const settingsToInput = (f: LoadBalancerSettingsForm) => {
  const forwardingRules = parseRules(f.rules).map((p) => p.rule) as ForwardingRule[];
  const checkPort =
    f.checkPort.trim() === '' ? (forwardingRules[0]?.targetPort ?? Number.NaN) : number(f.checkPort);
  return {
    forwardingRules,
    healthCheck: {
      protocol: f.checkProtocol,
      port: checkPort,
      path: f.checkPath.trim() !== '' ? f.checkPath.trim() : null,
      intervalSeconds: number(f.intervalSeconds),
      timeoutSeconds: number(f.timeoutSeconds),
      healthyThreshold: number(f.healthyThreshold),
      unhealthyThreshold: number(f.unhealthyThreshold),
    },
    ...(f.certificateSource === 'keep'
      ? {}
      : {
          tlsCertificate:
            f.certificateSource === 'uploaded'
              ? { source: 'uploaded' as const, certificate: f.certificate, privateKey: f.privateKey }
              : f.certificateSource === 'cert-manager'
                ? { source: 'cert-manager' as const }
                : null,
        }),
    redirectHttpToHttps: f.redirectHttpToHttps,
  };
};

/** Where the API's paths for the settings are edited in the form. */
export const settingsFieldFor = (path: string): keyof LoadBalancerSettingsForm | undefined => {
  if (path.startsWith('forwardingRules')) return 'rules';
  const [head, field] = path.split('.');
  if (head === 'healthCheck')
    return (
      {
        protocol: 'checkProtocol',
        port: 'checkPort',
        path: 'checkPath',
        intervalSeconds: 'intervalSeconds',
        timeoutSeconds: 'timeoutSeconds',
        healthyThreshold: 'healthyThreshold',
        unhealthyThreshold: 'unhealthyThreshold',
      } as const
    )[field as 'port'];
  if (head === 'tlsCertificate')
    return field === 'certificate'
      ? 'certificate'
      : field === 'privateKey'
        ? 'privateKey'
        : 'certificateSource';
  if (head === 'redirectHttpToHttps') return 'redirectHttpToHttps';
  return undefined;
};

/** The settings' fields, in a create or an edit form. */
export function LoadBalancerSettingsFields<TForm extends FieldValues & LoadBalancerSettingsForm, TOutput>({
  form,
  editing,
}: {
  form: UseFormReturn<TForm, unknown, TOutput>;
  editing: boolean;
}) {
  const name = (field: keyof LoadBalancerSettingsForm) => field as Path<TForm>;
  const source = form.watch(name('certificateSource')) as LoadBalancerSettingsForm['certificateSource'];
  const protocol = form.watch(name('checkProtocol')) as LoadBalancerSettingsForm['checkProtocol'];
  return (
    <>
      <FormField
        form={form}
        name={name('rules')}
        label="Forwarding rules"
        hint={
          <>
            One per line: protocol, entry port, droplet port, and for HTTP(S) a hostname if the cluster’s
            ingress should serve it — e.g. <code>HTTP 80 8080</code> or{' '}
            <code>HTTPS 443 8080 shop.example.com</code>.
          </>
        }
      >
        {(p) => <Textarea rows={3} spellCheck={false} autoComplete="off" {...p} />}
      </FormField>
      <fieldset className="grid gap-2 rounded-md border p-3">
        <legend className="px-1 text-sm font-medium">Health check</legend>
        <div className="grid grid-cols-3 items-end gap-2">
          <FormField form={form} name={name('checkProtocol')} label="Check protocol">
            {(p) => (
              <NativeSelect {...p}>
                <option value="tcp">TCP</option>
                <option value="http">HTTP</option>
                <option value="https">HTTPS</option>
              </NativeSelect>
            )}
          </FormField>
          <FormField
            form={form}
            name={name('checkPort')}
            label="Check port"
            hint="Empty: the first droplet port."
          >
            {(p) => <Input inputMode="numeric" autoComplete="off" {...p} />}
          </FormField>
          <FormField form={form} name={name('checkPath')} label="Check path">
            {(p) => (
              <Input autoComplete="off" placeholder={protocol === 'tcp' ? '(HTTP checks)' : '/'} {...p} />
            )}
          </FormField>
        </div>
        <div className="grid grid-cols-4 items-end gap-2">
          <FormField form={form} name={name('intervalSeconds')} label="Every (s)">
            {(p) => <Input inputMode="numeric" autoComplete="off" {...p} />}
          </FormField>
          <FormField form={form} name={name('timeoutSeconds')} label="Timeout (s)">
            {(p) => <Input inputMode="numeric" autoComplete="off" {...p} />}
          </FormField>
          <FormField form={form} name={name('healthyThreshold')} label="Healthy after">
            {(p) => <Input inputMode="numeric" autoComplete="off" {...p} />}
          </FormField>
          <FormField form={form} name={name('unhealthyThreshold')} label="Unhealthy after">
            {(p) => <Input inputMode="numeric" autoComplete="off" {...p} />}
          </FormField>
        </div>
        <p className="text-xs text-muted-foreground">
          A target takes traffic once it passes; after that it takes this many checks in a row to go out or
          come back.
        </p>
      </fieldset>
      <FormField
        form={form}
        name={name('certificateSource')}
        label="HTTPS certificate"
        hint="For HTTPS rules with a hostname: the ingress serves them with it."
      >
        {(p) => (
          <NativeSelect {...p}>
            {editing && source === 'keep' ? <option value="keep">Keep the current one</option> : null}
            <option value="none">None</option>
            <option value="uploaded">Upload a certificate and key</option>
            <option value="cert-manager">Issued by cert-manager</option>
          </NativeSelect>
        )}
      </FormField>
      {source === 'uploaded' ? (
        <div className="grid gap-2 sm:grid-cols-2">
          <FormField form={form} name={name('certificate')} label="Certificate (PEM)">
            {(p) => <Textarea rows={3} spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" {...p} />}
          </FormField>
          <FormField form={form} name={name('privateKey')} label="Private key (PEM)">
            {(p) => <Textarea rows={3} spellCheck={false} placeholder="-----BEGIN PRIVATE KEY-----" {...p} />}
          </FormField>
        </div>
      ) : null}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" {...form.register(name('redirectHttpToHttps'))} />
        Redirect HTTP to HTTPS for hostnames served over HTTPS
      </label>
    </>
  );
}
