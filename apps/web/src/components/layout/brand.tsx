import { CloudIcon } from 'lucide-react';
import { Link } from 'react-router';

export function Brand() {
  return (
    <Link to="/" className="flex items-center gap-2 rounded-md font-semibold tracking-tight">
      <span
        aria-hidden
        className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground"
      >
        <CloudIcon className="size-4" />
      </span>
      Uncloud
    </Link>
  );
}
