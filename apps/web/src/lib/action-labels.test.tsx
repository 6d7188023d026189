import { describe, expect, it } from 'vitest';
import { actionStatusText, actionWords, describeAction } from './action-labels.ts';

describe('actionWords', () => {
  it('puts the ending on the first word of a regular action, dropping a final "e"', () => {
    expect(actionWords('powerOff')).toEqual({
      name: 'Power off',
      running: 'Powering off',
      done: 'Powered off',
    });
    expect(actionWords('resize')).toEqual({ name: 'Resize', running: 'Resizing', done: 'Resized' });
    expect(actionWords('rollback')).toEqual({
      name: 'Roll back',
      running: 'Rolling back',
      done: 'Rolled back',
    });
  });

  it('keeps the irregular words', () => {
    expect(actionWords('rebuild')).toEqual({ name: 'Rebuild', running: 'Rebuilding', done: 'Rebuilt' });
    expect(actionWords('snapshot')).toEqual({
      name: 'Snapshot',
      running: 'Taking a snapshot',
      done: 'Snapshot taken',
    });
    expect(actionWords('resetPassword')).toEqual({
      name: 'Reset password',
      running: 'Resetting the password',
      done: 'Password reset',
    });
  });

  it('reads an unknown type as its own name', () => {
    expect(actionWords('migrate')).toEqual({
      name: 'migrate',
      running: 'migrate in progress',
      done: 'migrate completed',
    });
  });
});

describe('action text', () => {
  it('describes an action with its parameters and says where it stands', () => {
    expect(describeAction({ type: 'scale', params: { replicas: 3 } })).toBe('Scale to 3 replicas');
    expect(actionStatusText({ type: 'powerOn', status: 'in-progress', error: null })).toBe('Powering on…');
    expect(actionStatusText({ type: 'detach', status: 'errored', error: 'volume busy' })).toBe(
      'Detach failed: volume busy',
    );
  });
});
