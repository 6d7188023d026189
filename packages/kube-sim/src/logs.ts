// pods/log: a short, plausible container log, so that log views have something to show.
import type { ServerResponse } from 'node:http';
import { badRequest } from './errors.ts';
import type { StoredObject } from './types.ts';

export function sendLog(res: ServerResponse, pod: StoredObject, container: string | undefined): void {
  const containers = (pod.spec?.containers ?? []) as { name: string; image: string }[];
  if (!container && containers.length > 1) {
    throw badRequest(
      `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
    );
  }
  const c = containers.find((x) => x.name === (container ?? containers[0]?.name));
  if (!c) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  const status = (
    (pod.status?.containerStatuses ?? []) as {
      name: string;
      state?: { running?: { startedAt?: string }; waiting?: unknown };
    }[]
  ).find((s) => s.name === c.name);
  if (!status?.state?.running && !status?.state?.waiting) {
    throw badRequest(
      `container "${c.name}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
    );
  }
  const at = status.state.running?.startedAt ?? pod.status?.startTime ?? new Date().toISOString();
  const lines = status.state.waiting
    ? [`${at} starting ${c.image}`, `${at} fatal: simulated crash (image tag "crashloop")`]
    : [
        `${at} starting ${c.image}`,
        `${at} ${c.name} is ready (simulated container on ${pod.spec?.nodeName ?? 'node'})`,
      ];
  const text = `${lines.join('\n')}\n`;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
