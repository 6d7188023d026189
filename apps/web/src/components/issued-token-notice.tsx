import { useId } from 'react';
import type * as React from 'react';
import { CopyButton } from './copy-button.tsx';
import { Button } from './ui/button.tsx';
import { Card } from './ui/card.tsx';
import { Input } from './ui/input.tsx';

/**
 * A token secret right after it was issued. The server keeps only its hash, so this is the one
 * chance to copy it: the notice stays until the user dismisses it.
 */
export function IssuedTokenNotice({
  token,
  label,
  children,
  onDismiss,
}: {
  /** The secret itself. */
  token: string;
  /** Accessible name of the field holding the secret. */
  label: string;
  /** What the token is and whom it is for. */
  children: React.ReactNode;
  onDismiss: () => void;
}) {
  const id = useId();
  return (
    <Card role="status" className="mb-6 grid gap-3 border-primary/50 p-5">
      <p className="text-sm font-medium">{children}</p>
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
        <Input id={id} readOnly value={token} className="font-mono" onFocus={(e) => e.target.select()} />
        <CopyButton value={token} label={`Copy ${label.toLowerCase()}`} />
        <Button variant="ghost" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </Card>
  );
}
