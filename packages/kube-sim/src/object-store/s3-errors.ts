// S3's error answer: an HTTP status and a code clients switch on (NoSuchKey, AccessDenied, …).
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const errorXml = (error: S3Error, resource: string, requestId: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  `<Error><Code>${error.code}</Code><Message>${escape(error.message)}</Message>` +
  `<Resource>${escape(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
