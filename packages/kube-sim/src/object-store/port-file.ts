// The embedded S3 server's port, kept beside the cluster's data file: claims' ConfigMaps name it
// (BUCKET_PORT), so a restarted cluster listens on the same port when it is free.
import { readFileSync, writeFileSync } from 'node:fs';

export function readPort(file: string | undefined): number {
  if (!file) return 0;
  try {
    const port = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : 0;
  } catch {
    return 0;
  }
}

export function writePort(file: string | undefined, port: number): void {
  if (file) writeFileSync(file, `${port}\n`);
}
