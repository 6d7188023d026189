import { Command, InvalidArgumentError, Option } from 'commander';
import type { IdKind } from '@uncloud/sdk';
import { fieldsOf, helpOf, placeholderOf, type Field } from '../contract/fields.ts';
import { describeGroup, describeProcedure } from '../contract/descriptions.ts';
import { idKindOf, manifest, type ProcedureSpec } from '../contract/manifest.ts';
import { aliasesOf, kebab, nounOf, verbOf } from '../contract/naming.ts';

/**
 * The command tree derived from the contract: a command per router (`droplet`), a subcommand per
 * procedure (`droplet power-off`), a flag per input field. A procedure added to the router appears
 * here once the manifest is regenerated (`npm run generate -w @uncloud/cli`); a test fails until then.
 */

/** How a procedure's input is taken from the command line. */
export interface CommandPlan {
  path: string;
  group: string;
  spec: ProcedureSpec;
  /** The positional argument and the field it fills (`<droplet>` → `id`), if any. */
  subject: { field: Field; kind: IdKind | undefined; optional: boolean } | undefined;
  /** Filled from the current project (`--project`) rather than a flag. */
  projectField: Field | undefined;
  /** One flag per remaining field. */
  flags: Field[];
  /** Lists with cursors: every page is fetched unless --limit or --cursor is given. */
  paginated: boolean;
}

export const planOf = (path: string, spec: ProcedureSpec): CommandPlan => {
  const [group, name] = path.split('.') as [string, string];
  const fields = fieldsOf(spec.input);
  const byName = new Map(fields.map((f) => [f.name, f]));
  // The thing the command acts on: its `id`, else the router's own id field (`projectId` for
  // projects, `userId` for users), else the name of what a create makes.
  const ownId = `${nounOf(group).replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Id`;
  const subjectField =
    byName.get('id') ??
    byName.get(ownId) ??
    (name === 'create' && byName.get('name')?.required ? byName.get('name') : undefined);
  const subjectSchema = subjectField ? spec.input?.properties?.[subjectField.name] : undefined;
  const subject = subjectField
    ? {
        field: subjectField,
        kind: subjectSchema ? idKindOf(subjectSchema) : undefined,
        // A project's own commands default to the current project: `uncloud project get`.
        optional: subjectField.name === 'projectId' || !subjectField.required,
      }
    : undefined;
  const projectField = subjectField?.name === 'projectId' ? undefined : byName.get('projectId');
  const flags = fields.filter((f) => f !== subjectField && f !== projectField);
  const paginated = name === 'list' && byName.has('cursor');
  return { path, group, spec, subject, projectField, flags, paginated };
};

const collect = (parse: (value: string) => unknown) => (value: string, previous: unknown[] | undefined) => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map(parse),
];

const numberParser = (flag: string, integer: boolean) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new InvalidArgumentError(
      `--${flag} must be ${integer ? 'a whole number' : 'a number'}, not "${value}"`,
    );
  }
  return n;
};

const mapParser = (flag: string) => (value: string, previous: Record<string, string> | undefined) => {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`--${flag} takes KEY=VALUE, not "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
};

/** The commander options of a field. */
const optionsOf = (field: Field): Option[] => {
  const { shape, flag } = field;
  // commander lists a flag's choices itself.
  const help = helpOf(field, { listChoices: false });
  switch (shape.type) {
    case 'boolean':
      return field.default === true
        ? [new Option(`--no-${flag}`, `turn off: ${help}`)]
        : [new Option(`--${flag}`, help), new Option(`--no-${flag}`, `the opposite of --${flag}`).hideHelp()];
    case 'choice':
      return [new Option(`--${flag} ${placeholderOf(shape)}`, help).choices(shape.choices)];
    case 'number':
      return [
        new Option(`--${flag} ${placeholderOf(shape)}`, help).argParser(numberParser(flag, shape.integer)),
      ];
    case 'list': {
      const of = shape.of;
      const parseOne =
        of.type === 'number'
          ? numberParser(flag, of.integer)
          : of.type === 'choice'
            ? (v: string) => {
                if (!of.choices.includes(v)) {
                  throw new InvalidArgumentError(`--${flag} takes ${of.choices.join(', ')}, not "${v}"`);
                }
                return v;
              }
            : (v: string) => v;
      return [new Option(`--${flag} ${placeholderOf(shape)}`, help).argParser(collect(parseOne))];
    }
    case 'map':
      return [new Option(`--${flag} ${placeholderOf(shape)}`, help).argParser(mapParser(flag))];
    default:
      return [new Option(`--${flag} ${placeholderOf(shape)}`, help)];
  }
};

/** The option key commander stores a flag's value under (`--ssh-key` → `sshKey`). */
export const attributeOf = (flag: string) => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export interface ProcedureCommandDeps {
  invoke(command: Command, invocation: Invocation): Promise<void>;
}

/** What a derived command was asked to do. */
export interface Invocation {
  plan: CommandPlan;
  noun: string;
  /** The positional argument as typed (a name or an id). */
  subject: string | undefined;
}

export const procedureCommand = (plan: CommandPlan, deps: ProcedureCommandDeps) => {
  const [, name] = plan.path.split('.') as [string, string];
  const noun = nounOf(plan.group);
  const command = new Command(verbOf(name)).description(describeProcedure(plan.path));
  if (plan.subject) {
    const label = plan.subject.kind ? kebab(plan.subject.kind) : kebab(plan.subject.field.name);
    const help =
      plan.subject.field.name === 'projectId'
        ? 'project name or id (default: the current project)'
        : plan.subject.kind
          ? `${label.replace(/-/g, ' ')} name or id`
          : plan.subject.field.name === 'name' && name === 'create'
            ? `the new ${noun.replace(/-/g, ' ')}'s name: lowercase letters, digits and '-'`
            : helpOf(plan.subject.field);
    command.argument(plan.subject.optional ? `[${label}]` : `<${label}>`, help);
  }
  for (const field of plan.flags) for (const option of optionsOf(field)) command.addOption(option);
  if (plan.spec.type === 'mutation') {
    command.option('--wait', 'wait until the change is done, showing its progress');
    command.option(
      '--wait-timeout <seconds>',
      'give up waiting after this long',
      numberParser('wait-timeout', false),
      600,
    );
  }
  command.action(async (...args: unknown[]) => {
    // commander passes the declared arguments, then the options, then the command itself.
    const self = args.at(-1) as Command;
    const subject = plan.subject ? (args[0] as string | undefined) : undefined;
    await deps.invoke(self, { plan, noun, subject });
  });
  return command;
};

/** Every procedure's command, grouped under its router's noun. */
export const addProcedureCommands = (program: Command, deps: ProcedureCommandDeps) => {
  const groups = new Map<string, Command>();
  for (const [path, spec] of Object.entries(manifest.procedures)) {
    const plan = planOf(path, spec);
    const noun = nounOf(plan.group);
    let group = groups.get(plan.group) ?? program.commands.find((c) => c.name() === noun);
    if (!group) {
      group = program.command(noun).description(describeGroup(plan.group));
      for (const alias of aliasesOf(plan.group)) group.alias(alias);
    }
    groups.set(plan.group, group);
    const verb = verbOf(path.split('.')[1]!);
    // A hand-written command of the same name (nicer words for the same call) takes precedence.
    if (group.commands.some((c) => c.name() === verb)) continue;
    group.addCommand(procedureCommand(plan, deps));
  }
};
