import { describe, expect, it } from 'vitest';
import { CreateFirewallInput, InboundRule, PortRange, classifyEndpoint } from './firewall.ts';

const projectId = 'proj_aaaaaaaaaaaaaaaaaaaa';

describe('firewall port ranges', () => {
  it.each(['all', '22', '1', '65535', '8000-9000', '443-443'])('accepts %s', (ports) => {
    expect(PortRange.safeParse(ports).success).toBe(true);
  });

  it.each(['0', '65536', '9000-8000', '80-', 'http', '1-70000', ''])('refuses %j', (ports) => {
    expect(PortRange.safeParse(ports).error?.issues[0]?.message).toMatch(
      /must be "all", a port from 1 to 65535/,
    );
  });
});

describe('firewall endpoints', () => {
  it.each([
    ['0.0.0.0/0', 'address'],
    ['10.0.0.0/8', 'address'],
    ['192.168.1.10', 'address'],
    ['::/0', 'address'],
    ['2001:db8::/32', 'address'],
    ['dpl_0123456789abcdefghij', 'droplet'],
    ['app_0123456789abcdefghij', 'app'],
    ['tag:web', 'tag'],
  ])('%s is a %s', (value, kind) => {
    expect(classifyEndpoint(value)).toBe(kind);
  });

  it.each(['10.0.0.0/33', '300.1.1.1', 'example.com', 'tag:', 'vol_0123456789abcdefghij'])(
    '%s is nothing',
    (value) => {
      expect(classifyEndpoint(value)).toBeNull();
    },
  );
});

describe('firewall rules', () => {
  it('defaults ports to all and needs a source', () => {
    expect(InboundRule.parse({ protocol: 'tcp', sources: ['0.0.0.0/0'] }).ports).toBe('all');
    expect(InboundRule.safeParse({ protocol: 'tcp', sources: [] }).error?.issues[0]?.message).toBe(
      'name at least one source',
    );
  });

  it('refuses ports on icmp rules', () => {
    const result = InboundRule.safeParse({ protocol: 'icmp', ports: '22', sources: ['0.0.0.0/0'] });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['ports'],
      message: expect.stringContaining('icmp rules have no ports'),
    });
  });

  it('names the offending source by its position', () => {
    const result = CreateFirewallInput.safeParse({
      projectId,
      name: 'web',
      inbound: [{ protocol: 'tcp', ports: '80', sources: ['0.0.0.0/0', '10.0.0.0/99'] }],
    });
    expect(result.error?.issues[0]?.path).toEqual(['inbound', 0, 'sources', 1]);
  });

  it('refuses addresses as targets', () => {
    const result = CreateFirewallInput.safeParse({ projectId, name: 'web', targets: ['10.0.0.1'] });
    expect(result.error?.issues[0]?.message).toBe(
      '"10.0.0.1" is an address; a firewall applies to droplets, apps and tags (such as "tag:web"), not to addresses',
    );
  });

  it('says a malformed tag target is a bad tag, not a bad id', () => {
    const result = CreateFirewallInput.safeParse({ projectId, name: 'web', targets: ['tag:tag!'] });
    expect(result.error?.issues[0]?.message).toMatch(
      /^"tag:tag!" is not a valid tag: after "tag:" write letters/,
    );
  });

  it('accepts a typical web firewall', () => {
    const input = CreateFirewallInput.parse({
      projectId,
      name: 'web',
      inbound: [
        { protocol: 'tcp', ports: '80', sources: ['0.0.0.0/0', '::/0'] },
        { protocol: 'tcp', ports: '22', sources: ['203.0.113.0/24'] },
        { protocol: 'icmp', sources: ['0.0.0.0/0'] },
      ],
      outbound: [{ protocol: 'tcp', ports: '5432', destinations: ['tag:db'] }],
      targets: ['dpl_0123456789abcdefghij', 'tag:web'],
    });
    expect(input.inbound).toHaveLength(3);
  });
});
