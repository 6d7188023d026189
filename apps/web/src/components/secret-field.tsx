import { EyeIcon, EyeOffIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { CopyButton } from './copy-button.tsx';
import { Button } from './ui/button.tsx';
import { Input } from './ui/input.tsx';

/** A read-only value hidden until revealed (a password), with reveal and copy. */
export function SecretField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div className="grid gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex gap-2">
        <Input
          id={id}
          readOnly
          type={shown ? 'text' : 'password'}
          value={value}
          className="font-mono"
          onFocus={(e) => e.target.select()}
        />
        <Button
          variant="outline"
          size="icon"
          aria-pressed={shown}
          aria-label={shown ? `Hide ${label.toLowerCase()}` : `Reveal ${label.toLowerCase()}`}
          onClick={() => setShown((s) => !s)}
        >
          {shown ? <EyeOffIcon aria-hidden /> : <EyeIcon aria-hidden />}
        </Button>
        <CopyButton compact value={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
    </div>
  );
}

/** A read-only value with copy (host, user). */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  return (
    <div className="grid gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex gap-2">
        <Input id={id} readOnly value={value} className="font-mono" onFocus={(e) => e.target.select()} />
        <CopyButton compact value={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
    </div>
  );
}
