import type { InboundRule, OutboundRule } from '@uncloud/sdk';

const portsText = (ports: string) => (ports === 'all' ? 'all ports' : `port ${ports}`);

/** "TCP port 22 from 0.0.0.0/0", with ids shown by name where known. */
export const describeInbound = (r: InboundRule, name: (id: string) => string = (id) => id) =>
  `${r.protocol.toUpperCase()} ${portsText(r.ports)} from ${r.sources.map(name).join(', ')}`;

export const describeOutbound = (r: OutboundRule, name: (id: string) => string = (id) => id) =>
  `${r.protocol.toUpperCase()} ${portsText(r.ports)} to ${r.destinations.map(name).join(', ')}`;
