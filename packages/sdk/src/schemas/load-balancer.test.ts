import { describe, expect, it } from 'vitest';
import { CreateLoadBalancerInput } from './load-balancer.ts';

const base = {
  projectId: 'proj_aaaaaaaaaaaaaaaaaaaa',
  name: 'front',
  forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080 }],
};
const problems = (input: unknown) =>
  CreateLoadBalancerInput.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ??
  [];

describe('CreateLoadBalancerInput', () => {
  it('checks the first rule’s target port over TCP unless told otherwise, sessions not sticky', () => {
    expect(CreateLoadBalancerInput.parse(base)).toMatchObject({
      healthCheck: { protocol: 'tcp', port: 8080, path: null, intervalSeconds: 10 },
      dropletIds: [],
      tag: null,
      stickySessions: false,
    });
  });

  it('gives an HTTP check the path / unless one is given', () => {
    expect(
      CreateLoadBalancerInput.parse({ ...base, healthCheck: { protocol: 'http', port: 80 } }).healthCheck
        .path,
    ).toBe('/');
  });

  it.each([
    ['no rule', { ...base, forwardingRules: [] }, 'forwardingRules: add at least one forwarding rule'],
    [
      'a port out of range',
      { ...base, forwardingRules: [{ entryProtocol: 'tcp', entryPort: 70000, targetPort: 1 }] },
      'forwardingRules.0.entryPort: must be a port from 1 to 65535',
    ],
    [
      'an unknown protocol',
      { ...base, forwardingRules: [{ entryProtocol: 'sctp', entryPort: 1, targetPort: 1 }] },
      'forwardingRules.0.entryProtocol: must be "tcp", "udp", "http" or "https"',
    ],
    [
      'the same entry port twice (HTTP and TCP are both TCP)',
      {
        ...base,
        forwardingRules: [...base.forwardingRules, { entryProtocol: 'tcp', entryPort: 80, targetPort: 81 }],
      },
      'forwardingRules.1.entryPort: entry port 80 is already forwarded',
    ],
    [
      'a path on a TCP check',
      { ...base, healthCheck: { protocol: 'tcp', port: 80, path: '/x' } },
      'healthCheck.path: only HTTP and HTTPS health checks have a path: leave it out for TCP',
    ],
    [
      'droplets and a tag',
      { ...base, dropletIds: ['dpl_bbbbbbbbbbbbbbbbbbbb'], tag: 'web' },
      'tag: name target droplets by id or by tag, not both',
    ],
  ])('refuses %s, saying what to do', (_name, input, problem) => {
    expect(problems(input)).toContain(problem);
  });

  it('takes UDP and TCP on the same port number', () => {
    expect(
      problems({
        ...base,
        forwardingRules: [
          { entryProtocol: 'udp', entryPort: 53, targetPort: 53 },
          { entryProtocol: 'tcp', entryPort: 53, targetPort: 53 },
        ],
      }),
    ).toEqual([]);
  });
});
