import type { ApiToken } from '@uncloud/sdk';
import { Time } from '../../components/facts.tsx';
import { clientKindText, clientText } from './client-text.ts';

/**
 * When a token was last used and from where: the time, then the kind of client (the dashboard in
 * a browser, or the API), which client, and the address.
 */
export function LastUsed({ token }: { token: ApiToken }) {
  if (!token.lastUsedAt) return <span className="text-muted-foreground">Never</span>;
  const where = [clientKindText(token), clientText(token), token.lastUsedIp].filter(Boolean).join(' · ');
  return (
    <span className="grid gap-0.5">
      <Time iso={token.lastUsedAt} />
      {where ? (
        <span className="text-xs text-muted-foreground" title={token.lastUsedUserAgent ?? undefined}>
          {where}
        </span>
      ) : null}
    </span>
  );
}
