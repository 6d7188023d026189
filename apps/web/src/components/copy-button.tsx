import { CheckIcon, CopyIcon } from 'lucide-react';
import { useState } from 'react';
import { Button } from './ui/button.tsx';

/**
 * Copies a value to the clipboard and says whether it worked; browsers refuse outside secure
 * contexts (plain http on another host), and the user then copies by hand.
 */
export function CopyButton({
  value,
  label,
  compact = false,
}: {
  value: string;
  label: string;
  compact?: boolean;
}) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  const copy = () => {
    // `navigator.clipboard` is missing outside secure contexts, whatever the DOM types say.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) {
      setResult('failed');
      return;
    }
    clipboard.writeText(value).then(
      () => setResult('copied'),
      () => setResult('failed'),
    );
  };
  const text = result === 'copied' ? 'Copied' : result === 'failed' ? 'Copy by hand' : 'Copy';
  return (
    <Button
      variant="outline"
      size={compact ? 'icon' : 'sm'}
      className={compact ? 'size-9' : undefined}
      aria-label={label}
      title={result === 'failed' ? 'Copying was refused: select the text and copy it' : label}
      onClick={copy}
    >
      {result === 'copied' ? <CheckIcon aria-hidden /> : <CopyIcon aria-hidden />}
      <span aria-live="polite" className={compact ? 'sr-only' : undefined}>
        {text}
      </span>
    </Button>
  );
}

/** A value people paste elsewhere (an id, an address, a command), shown in mono with its copy button. */
export function Copyable({ value, label, small = true }: { value: string; label: string; small?: boolean }) {
  return (
    <span className="inline-flex max-w-full items-center gap-1.5">
      <span className={`font-mono break-all ${small ? 'text-xs' : ''}`}>{value}</span>
      <CopyButton compact value={value} label={label} />
    </span>
  );
}
