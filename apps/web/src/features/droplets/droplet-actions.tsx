import { useMutation } from '@tanstack/react-query';
import type { Droplet } from '@uncloud/sdk';
import { CameraIcon, HammerIcon, PowerIcon, PowerOffIcon, RotateCwIcon, ScalingIcon } from 'lucide-react';
import { useProjectId } from '../../app/use-project.ts';
import type { ResourceAction } from '../../components/resource-actions.tsx';
import { useTRPC } from '../../lib/trpc.ts';
import {
  RebuildDropletDialog,
  ResizeDropletDialog,
  SnapshotDropletDialog,
} from './droplet-action-dialogs.tsx';

/** What the user asked for decides which power button shows, not where the machine is on its way. */
const isOff = (d: Droplet) => !d.poweredOn;

/** Rebuilds and snapshots need a machine that is settled, running or stopped. */
const unsettled = (d: Droplet) =>
  d.state === 'active' || d.state === 'stopped' ? null : 'Available once the droplet is active or stopped';

/** Power on/off, reboot, resize, rebuild and snapshot, each answering with the action it started. */
export const useDropletActions = (): Array<ResourceAction<Droplet>> => {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const powerOn = useMutation(trpc.droplets.powerOn.mutationOptions());
  const powerOff = useMutation(trpc.droplets.powerOff.mutationOptions());
  const reboot = useMutation(trpc.droplets.reboot.mutationOptions());
  const ref = (d: Droplet) => ({ projectId, id: d.id });

  return [
    {
      label: 'Power on',
      icon: <PowerIcon aria-hidden />,
      inRow: true,
      hidden: (d) => !isOff(d),
      run: (d) => powerOn.mutateAsync(ref(d)),
    },
    {
      label: 'Power off',
      icon: <PowerOffIcon aria-hidden />,
      inRow: true,
      hidden: isOff,
      confirm: (d) => ({
        title: `Power off ${d.name}?`,
        description: `${d.name} shuts down; programs running on it stop. Its disk, volumes and address are kept, and you can power it on again at any time.`,
      }),
      run: (d) => powerOff.mutateAsync(ref(d)),
    },
    {
      label: 'Reboot',
      icon: <RotateCwIcon aria-hidden />,
      disabledReason: (d) => (d.state === 'active' ? null : 'Only an active droplet can reboot'),
      confirm: (d) => ({
        title: `Reboot ${d.name}?`,
        description: `${d.name} restarts; it is unreachable for a moment and programs running on it stop.`,
      }),
      run: (d) => reboot.mutateAsync(ref(d)),
    },
    {
      label: 'Resize',
      icon: <ScalingIcon aria-hidden />,
      disabledReason: (d) => (d.state === 'stopped' ? null : 'Power the droplet off first'),
      dialog: (props) => <ResizeDropletDialog {...props} />,
    },
    {
      label: 'Rebuild',
      icon: <HammerIcon aria-hidden />,
      disabledReason: unsettled,
      dialog: (props) => <RebuildDropletDialog {...props} />,
    },
    {
      label: 'Snapshot',
      icon: <CameraIcon aria-hidden />,
      disabledReason: unsettled,
      dialog: (props) => <SnapshotDropletDialog {...props} />,
    },
  ];
};
