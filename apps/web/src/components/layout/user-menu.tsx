import {
  BookOpenIcon,
  FolderKanbanIcon,
  HistoryIcon,
  KeyIcon,
  LogOutIcon,
  ServerCogIcon,
  UsersIcon,
  MonitorSmartphoneIcon,
} from 'lucide-react';
import { Link } from 'react-router';
import { useWhoami } from '../../app/require-auth.tsx';
import { useSignOut } from '../../app/use-session.ts';
import { Button } from '../ui/button.tsx';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../ui/dropdown-menu.tsx';

const initials = (name: string) =>
  name
    .split(/[\s._-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('') || '?';

/** Who is signed in, their tokens, the API reference and projects, users for admins, and sign-out. */
export function UserMenu() {
  const whoami = useWhoami();
  const signOut = useSignOut();
  const user = whoami.data?.user;
  if (!user) return null;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          className="gap-2 px-2"
          aria-label={`Account of ${user.name}${user.isAdmin ? ' (administrator)' : ''}`}
        >
          <span
            aria-hidden
            className="flex size-7 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground"
          >
            {initials(user.name)}
          </span>
          <span className="hidden max-w-32 truncate text-sm sm:inline">{user.name}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>
          <span className="block font-medium">{user.name}</span>
          {user.email ? <span className="block text-xs text-muted-foreground">{user.email}</span> : null}
          <span className="block text-xs text-muted-foreground">
            {user.isAdmin ? 'Administrator' : 'User'}
          </span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/tokens">
            <KeyIcon aria-hidden /> API tokens
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link to="/api-reference">
            <BookOpenIcon aria-hidden /> API reference
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link to="/projects">
            <FolderKanbanIcon aria-hidden /> Projects
          </Link>
        </DropdownMenuItem>
        {user.isAdmin ? (
          <>
            <DropdownMenuItem asChild>
              <Link to="/users">
                <UsersIcon aria-hidden /> Users
              </Link>
            </DropdownMenuItem>
            <DropdownMenuItem asChild>
              <Link to="/sessions">
                <MonitorSmartphoneIcon aria-hidden /> Sign-ins and tokens
              </Link>
            </DropdownMenuItem>
            <DropdownMenuItem asChild>
              <Link to="/setup">
                <ServerCogIcon aria-hidden /> Setup
              </Link>
            </DropdownMenuItem>
            <DropdownMenuItem asChild>
              <Link to="/activity">
                <HistoryIcon aria-hidden /> Activity in every project
              </Link>
            </DropdownMenuItem>
          </>
        ) : null}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={signOut}>
          <LogOutIcon aria-hidden /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
