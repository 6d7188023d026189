import { benchDropletsList } from './droplets-list.ts';
import { benchCreateBurstLag } from './event-loop-lag.ts';
import { benchSteadyState } from './sync-steady-state.ts';
import { benchRequestsPerResource } from './sync-requests.ts';

// One section of `npm run bench` at a time, printed as JSON:
//   tsx --conditions=@uncloud/source src/watch-main.ts [list|noop|lag|requests]… [--listed=N] …
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const cases = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const wanted = (name: string) => cases.length === 0 || cases.includes(name);
const print = (name: string, figures: object) =>
  console.log(`\n${name}\n${JSON.stringify(figures, null, 2)}`);

if (wanted('list'))
  print(
    'droplets.list, idle and while droplets are created',
    await benchDropletsList({
      listed: Number(flag('listed') ?? 1_000),
      creating: Number(flag('creating') ?? 200),
      connections: 50,
      durationSeconds: Number(flag('duration') ?? 10),
    }),
  );
if (wanted('noop')) {
  const [figures] = await benchSteadyState([Number(flag('fleet') ?? 10_000)], {
    passes: Number(flag('passes') ?? 3),
    projectCount: 20,
  });
  const { requests: _perKind, ...rest } = figures!;
  print('no-op resync', rest);
}
if (wanted('lag'))
  print(
    'event-loop lag during a burst of creates',
    await benchCreateBurstLag({
      creates: Number(flag('creates') ?? 1_000),
      simulator: flag('simulator') === 'in-process' ? 'in-process' : 'separate',
    }),
  );
if (wanted('requests'))
  print(
    'cluster requests per converged resource',
    await benchRequestsPerResource({ resources: Number(flag('resources') ?? 60) }),
  );
