// Reading requests and writing JSON (or YAML) answers and Status errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { SimError, statusBody } from './errors.ts';

export const MAX_BODY = 8 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRawBody(req)).toString('utf8');
}

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new SimError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new SimError(
      400,
      'BadRequest',
      `couldn't get version/kind; json parse error: ${(e as Error).message}`,
    );
  }
}

/** An `application/yaml` body, read as the real server reads it (YAML converted to JSON). */
export function parseYamlBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return parseYaml(raw, { version: '1.1' }) as unknown;
  } catch (e) {
    throw new SimError(
      400,
      'BadRequest',
      `error converting YAML to JSON: yaml: ${(e as Error).message}`,
    );
  }
}

export function wantsYaml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/yaml') && !accept.includes('application/json');
}

export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  const yaml = wantsYaml(req);
  const text = yaml ? toYaml(body) : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': yaml ? 'application/yaml' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (err instanceof SimError) {
    sendJson(req, res, err.code, err.toStatus(), err.headers);
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendJson(req, res, 500, statusBody(500, 'InternalError', `Internal error occurred: ${message}`));
}
