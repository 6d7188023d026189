import type { Action, ActionType, ComponentActionType } from '@uncloud/sdk';
import { imageName } from './format.ts';

interface ActionWords {
  /** The button: "Power off". */
  name: string;
  /** While it runs: "Powering off". */
  running: string;
  /** Once it has completed: "Powered off". */
  done: string;
}

/** "Power on" → "Powering on", "Powered on": the first word takes the ending, a final "e" gives way. */
const regular = (name: string): ActionWords => {
  const [verb = '', ...rest] = name.split(' ');
  const stem = verb.endsWith('e') ? verb.slice(0, -1) : verb;
  const tail = rest.map((word) => ` ${word}`).join('');
  return { name, running: `${stem}ing${tail}`, done: `${stem}ed${tail}` };
};

const words: Record<ActionType, ActionWords> = {
  powerOn: regular('Power on'),
  powerOff: regular('Power off'),
  reboot: regular('Reboot'),
  resize: regular('Resize'),
  rebuild: { ...regular('Rebuild'), done: 'Rebuilt' },
  snapshot: { name: 'Snapshot', running: 'Taking a snapshot', done: 'Snapshot taken' },
  restore: { name: 'Restore', running: 'Restoring', done: 'Restored' },
  attach: regular('Attach'),
  detach: regular('Detach'),
  scale: regular('Scale'),
  deploy: regular('Deploy'),
  redeploy: regular('Redeploy'),
  rollback: regular('Roll back'),
  resetPassword: { name: 'Reset password', running: 'Resetting the password', done: 'Password reset' },
  assign: { name: 'Assign', running: 'Assigning', done: 'Assigned' },
  unassign: { name: 'Unassign', running: 'Unassigning', done: 'Unassigned' },
  addDroplets: { name: 'Add droplets', running: 'Adding droplets', done: 'Droplets added' },
  removeDroplets: { name: 'Remove droplets', running: 'Removing droplets', done: 'Droplets removed' },
};

// A cluster component's system actions (the Setup page's).
const componentWords: Record<ComponentActionType, ActionWords> = {
  install: regular('Install'),
  upgrade: regular('Upgrade'),
  repair: { name: 'Repair', running: 'Repairing', done: 'Repaired' },
  uninstall: regular('Uninstall'),
};

/** Words for an action type; an unknown type (a newer server) reads as its own name. */
export const actionWords = (type: string): ActionWords =>
  words[type as ActionType] ??
  componentWords[type as ComponentActionType] ?? {
    name: type,
    running: `${type} in progress`,
    done: `${type} completed`,
  };

const describeParam = (key: string, value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  switch (key) {
    case 'replicas':
      return `to ${String(value)} replica${value === 1 ? '' : 's'}`;
    case 'size':
      return `to ${String(value)}`;
    case 'sizeGiB':
    case 'storageGiB':
      return `to ${String(value)} GiB`;
    case 'nodes':
      return `to ${String(value)} node${value === 1 ? '' : 's'}`;
    case 'image':
      return `with ${imageName(String(value))}`;
    case 'name':
      return `named ${String(value)}`;
    case 'snapshotName':
      return `to snapshot ${String(value)}`;
    case 'dropletName':
      return `to ${String(value)}`;
    case 'dropletIds':
      return Array.isArray(value) ? `(${value.length} droplet${value.length === 1 ? '' : 's'})` : null;
    case 'from':
      return `(from ${String(value)})`;
    case 'env':
      return typeof value === 'object' ? `with ${Object.keys(value).length} environment variables` : null;
    default:
      return null;
  }
};

/** "Resize to s-2vcpu-4gb", "Scale to 3 replicas": the action with what it was asked to do. */
export const describeAction = (action: Pick<Action, 'type' | 'params'>) => {
  const details = Object.entries(action.params)
    .map(([key, value]) => describeParam(key, value))
    .filter((d): d is string => d !== null);
  return [actionWords(action.type).name, ...details].join(' ');
};

/** One line on where an action stands: "Powering off…", "Powered off", "Power off failed: …". */
export const actionStatusText = (action: Pick<Action, 'status' | 'error'> & { type: string }) => {
  const w = actionWords(action.type);
  if (action.status === 'in-progress') return `${w.running}…`;
  if (action.status === 'completed') return w.done;
  return `${w.name} failed${action.error ? `: ${action.error}` : ''}`;
};
