import { benchDropletsListWhileCreating } from './droplets-list-busy.ts';
import { benchSteadyState } from './sync-steady-state.ts';
import { benchRequestsPerResource } from './sync-requests.ts';

// The watch-driven engine's cases alone, for checking them without the whole `npm run bench`:
//   tsx --conditions=@uncloud/source src/watch-main.ts [requests|noop|busy]… [--resources=N]
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const cases = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const wanted = (name: string) => cases.length === 0 || cases.includes(name);
const print = (name: string, figures: object) =>
  console.log(`\n${name}\n${JSON.stringify(figures, null, 2)}`);

if (wanted('requests'))
  print(
    'cluster requests per converged resource',
    await benchRequestsPerResource({ resources: Number(flag('resources') ?? 30) }),
  );
if (wanted('noop')) {
  const [figures] = await benchSteadyState([Number(flag('fleet') ?? 10_000)], {
    passes: 3,
    projectCount: 20,
  });
  const { requests: _perKind, ...rest } = figures!;
  print('no-op resync', rest);
}
if (wanted('busy'))
  print(
    'droplets.list while droplets are created',
    await benchDropletsListWhileCreating({
      listed: Number(flag('listed') ?? 300),
      creating: Number(flag('creating') ?? 200),
      connections: 50,
      durationSeconds: Number(flag('duration') ?? 10),
    }),
  );
