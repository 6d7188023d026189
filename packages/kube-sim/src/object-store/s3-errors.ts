// S3's error answer: an HTTP status and a code clients switch on (NoSuchKey, AccessDenied, …).
import { escapeXml } from './xml.ts';

export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const errorXml = (error: S3Error, resource: string, requestId: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  `<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>` +
  `<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
