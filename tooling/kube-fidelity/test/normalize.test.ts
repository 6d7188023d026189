import { describe, expect, it } from 'vitest';
import { normalizeJson, normalizeObservation, normalizeText } from '../src/normalize.ts';
import { parseWarningHeader } from '../src/probe-cluster.ts';

describe('normalizeText', () => {
  it('replaces uids, timestamps and IP addresses with ports', () => {
    expect(
      normalizeText(
        'pod 0b5c8a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21 at 2025-12-02T06:43:17Z on 10.244.0.12, dial 127.0.0.1:41233',
      ),
    ).toBe('pod <uid> at <time> on <ip>, dial <ip>:<port>');
    expect(normalizeText('since 2025-12-02T06:43:17.123456+00:00')).toBe('since <time>');
  });

  it('replaces the cluster’s node names, longest first', () => {
    const ctx = { nodeNames: ['kwok-node-1', 'kwok-node-10'] };
    expect(normalizeText('on kwok-node-10 and kwok-node-1', ctx)).toBe('on <node> and <node>');
    expect(normalizeText('0/1 nodes are available on uncloud-sim-1', { nodeNames: ['uncloud-sim-1'] })).toBe(
      '0/1 nodes are available on <node>',
    );
  });

  it('replaces resourceVersions in messages', () => {
    expect(normalizeText('too old resource version: 12 (345)')).toBe('too old resource version: <rv> (<rv>)');
    expect(normalizeText('Timeout: Too large resource version: 1000583, current: 583')).toBe(
      'Timeout: Too large resource version: <rv>, current: <rv>',
    );
    expect(normalizeText('{"resourceVersion":"42"}')).toBe('{"resourceVersion":"<rv>"}');
  });

  it('replaces pod-template-hash and random suffixes, not ordinary hyphenated words', () => {
    expect(normalizeText('pod web-7c5ddbdf54-x7k2p of web-7c5ddbdf54')).toBe(
      'pod web-<hash>-<rand> of web-7c5ddbdf54',
    );
    expect(normalizeText('fid-generate-names and rollout-paused-check')).toBe(
      'fid-generate-names and rollout-paused-check',
    );
  });

  it('normalizes ages and column padding only in printed output', () => {
    const table = 'NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          12s  \n';
    expect(normalizeText(table, {}, true)).toBe(
      'NAME  READY  STATUS  RESTARTS  AGE\nweb  1/1  Running  0  <age>',
    );
    expect(normalizeText('x   3m2s', {}, true)).toBe('x  <age>');
    // A quantity is not a duration outside a table.
    expect(normalizeText('limits cpu 500m')).toBe('limits cpu 500m');
  });
});

describe('normalizeJson', () => {
  it('makes opaque keys placeholders, sorts keys, normalizes strings', () => {
    expect(
      normalizeJson({
        uid: 'abc',
        resourceVersion: '17',
        continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ',
        name: 'web',
        nested: [{ creationTimestamp: '2025-01-01T00:00:00Z', ip: '10.96.0.1' }],
      }),
    ).toEqual({
      continue: '<token>',
      name: 'web',
      nested: [{ creationTimestamp: '<time>', ip: '<ip>' }],
      resourceVersion: '<rv>',
      uid: '<uid>',
    });
  });

  it('keeps empty and null opaque values as they are (absence is an observation)', () => {
    expect(normalizeJson({ continue: '', resourceVersion: null })).toEqual({
      continue: '',
      resourceVersion: null,
    });
  });

  it('ages only under stdout', () => {
    expect(normalizeJson({ stdout: 'web  5m', cpu: '5m' })).toEqual({ cpu: '5m', stdout: 'web  <age>' });
  });
});

describe('normalizeObservation', () => {
  it('normalizes message, warnings and fields, drops undefined members', () => {
    expect(
      normalizeObservation(
        {
          status: 409,
          reason: 'Conflict',
          message: 'deleted at 2025-12-02T06:43:17Z on kwok-node-0',
          warnings: ['node kwok-node-0'],
          fields: { node: 'kwok-node-0', missing: undefined as never },
        },
        { nodeNames: ['kwok-node-0'] },
      ),
    ).toEqual({
      status: 409,
      reason: 'Conflict',
      message: 'deleted at <time> on <node>',
      warnings: ['node <node>'],
      fields: { node: '<node>' },
    });
  });
});

describe('parseWarningHeader', () => {
  it('strips code and agent and unquotes', () => {
    expect(parseWarningHeader('299 - "unknown field \\"spec.replicaz\\""')).toBe(
      'unknown field "spec.replicaz"',
    );
    expect(parseWarningHeader('not a warning header')).toBe('not a warning header');
  });
});
