import { describe, expect, it } from 'vitest';
import { parseReservedIpPool } from './reserved-ip-pool.ts';

describe('parseReservedIpPool', () => {
  it('reads CIDRs without their network and broadcast addresses, ranges and single addresses', () => {
    const pool = parseReservedIpPool('203.0.113.0/30, 198.51.100.200-198.51.100.202,192.0.2.7');
    expect(pool.size).toBe(2 + 3 + 1);
    expect(pool.contains('203.0.113.0')).toBe(false);
    expect(pool.contains('203.0.113.1')).toBe(true);
    expect(pool.contains('203.0.113.3')).toBe(false);
    expect(pool.contains('198.51.100.201')).toBe(true);
    expect(pool.contains('192.0.2.7')).toBe(true);
    expect(pool.contains('192.0.2.8')).toBe(false);
    expect(pool.contains('not an address')).toBe(false);
  });

  it('hands out the lowest free address, across entries in address order', () => {
    const pool = parseReservedIpPool('203.0.113.0/30,192.0.2.7');
    expect(pool.firstFree(new Set())).toBe('192.0.2.7');
    expect(pool.firstFree(new Set(['192.0.2.7']))).toBe('203.0.113.1');
    expect(pool.firstFree(new Set(['192.0.2.7', '203.0.113.1', '203.0.113.2']))).toBeUndefined();
  });

  it('keeps /31 and /32 whole', () => {
    expect(parseReservedIpPool('203.0.113.8/31').size).toBe(2);
    expect(parseReservedIpPool('203.0.113.8/32').firstFree(new Set())).toBe('203.0.113.8');
  });

  it('is empty when nothing is configured', () => {
    const pool = parseReservedIpPool('');
    expect(pool.size).toBe(0);
    expect(pool.firstFree(new Set())).toBeUndefined();
  });

  it.each([
    ['203.0.113.0/33', /not an IPv4 CIDR/],
    ['300.1.1.1', /not an IPv4 address/],
    ['203.0.113.9-203.0.113.2', /ends before it starts/],
    ['1.1.1.1-2.2.2.2-3.3.3.3', /not an IPv4 range/],
    ['203.0.113.0/24,203.0.113.5', /in two entries/],
  ])('refuses %s', (text, message) => {
    expect(() => parseReservedIpPool(text)).toThrow(message);
  });
});
