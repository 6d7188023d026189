import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CloudIcon } from 'lucide-react';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useToken } from '../../app/use-session.ts';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardHeader } from '../../components/ui/card.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Label } from '../../components/ui/label.tsx';
import { errorMessage, isUnauthorized } from '../../lib/errors.ts';
import { session } from '../../lib/session.ts';
import { useTRPC, useTRPCClient } from '../../lib/trpc.ts';

/** Signs in with an API token, checked with `auth.whoami` before it is kept for this tab. */
export function SignInPage() {
  const token = useToken();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [value, setValue] = useState('');
  const [keep, setKeep] = useState(false);
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const check = useMutation({
    mutationFn: (candidate: string) => client.auth.whoami.query(undefined, { context: { token: candidate } }),
    onSuccess: (whoami, candidate) => {
      // Nothing fetched with an earlier token may show through; the check's answer is kept.
      queryClient.clear();
      queryClient.setQueryData(trpc.auth.whoami.queryKey(), whoami);
      session.setToken(candidate, { keep });
      void navigate(from, { replace: true });
    },
  });

  if (token && !check.isPending) return <Navigate to={from} replace />;

  const problem = check.error
    ? isUnauthorized(check.error)
      ? 'The server does not accept this token. Check that you copied all of it, or ask an administrator for a new one.'
      : errorMessage(check.error)
    : null;

  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <Card className="w-full max-w-sm">
        <CardHeader className="items-center text-center">
          <CloudIcon className="size-8 text-primary" aria-hidden />
          <h1 className="text-xl font-semibold">Sign in to Uncloud</h1>
          <p className="text-sm text-muted-foreground">
            Paste an API token. It is kept for this browser tab unless you ask to stay signed in.
          </p>
        </CardHeader>
        <CardContent>
          <form
            className="grid gap-4"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const candidate = value.trim();
              if (candidate) check.mutate(candidate);
            }}
          >
            <div className="grid gap-1.5">
              <Label htmlFor="token">API token</Label>
              <Input
                id="token"
                name="token"
                type="password"
                autoComplete="off"
                autoFocus
                required
                value={value}
                aria-invalid={Boolean(problem)}
                aria-describedby={problem ? 'token-error token-hint' : 'token-hint'}
                onChange={(e) => setValue(e.target.value)}
              />
              {problem ? (
                <p id="token-error" role="alert" className="text-xs font-medium text-destructive">
                  {problem}
                </p>
              ) : null}
              <p id="token-hint" className="text-xs text-muted-foreground">
                An administrator issues your first token when creating your user; it is shown only once.
              </p>
            </div>
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-0.5 size-4 accent-primary"
                checked={keep}
                onChange={(e) => setKeep(e.target.checked)}
                aria-describedby="keep-hint"
              />
              <span>
                Keep me signed in
                <span id="keep-hint" className="block text-xs text-muted-foreground">
                  New tabs and browser restarts stay signed in. Only on a computer that is yours.
                </span>
              </span>
            </label>
            <Button type="submit" disabled={check.isPending || value.trim() === ''}>
              {check.isPending ? 'Checking…' : 'Sign in'}
            </Button>
          </form>
        </CardContent>
      </Card>
    </main>
  );
}
