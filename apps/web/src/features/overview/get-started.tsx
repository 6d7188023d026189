import { Link } from 'react-router';
import { Card } from '../../components/ui/card.tsx';

const linkClass = 'text-primary underline-offset-4 hover:underline';

/** For a project with nothing in it: the first three things to do. */
export function GetStarted() {
  return (
    <Card className="p-5 text-sm">
      <h2 className="mb-2 font-semibold">Get started</h2>
      <ol className="list-decimal space-y-1 pl-5 text-muted-foreground">
        <li>
          <Link className={linkClass} to="ssh-keys">
            Add an SSH key
          </Link>{' '}
          so that you can log in to droplets.
        </li>
        <li>
          <Link className={linkClass} to="droplets">
            Create a droplet
          </Link>{' '}
          or{' '}
          <Link className={linkClass} to="apps">
            deploy an app
          </Link>
          .
        </li>
        <li>
          <Link className={linkClass} to="firewalls">
            Add a firewall
          </Link>{' '}
          to choose what traffic reaches them.
        </li>
      </ol>
    </Card>
  );
}
