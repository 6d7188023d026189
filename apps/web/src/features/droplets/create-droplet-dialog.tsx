import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateDropletInput, dropletSizes } from '@uncloud/sdk';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import { CreateDialog, type ResourceCreateDialogProps } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input, NativeSelect, Textarea } from '../../components/ui/input.tsx';
import { formatMemory, splitList } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { ImageOptions } from './image-options.tsx';
import { QuotaNotice } from '../../components/quota-notice.tsx';

type DropletForm = {
  name: string;
  size: string;
  image: string;
  sshKeyIds: string[];
  volumeIds: string[];
  tags: string;
  userData: string;
};

export function CreateDropletDialog({ projectId, open, onOpenChange, trigger }: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The catalogues ship with the SDK: the selects are filled at once, so that the chosen default
  // is a real option from the first render, and the server's answer replaces them.
  const sizes = useQuery(
    trpc.sizes.list.queryOptions(undefined, {
      staleTime: Infinity,
      enabled: open,
      placeholderData: [...dropletSizes],
    }),
  );
  const keys = useQuery(trpc.sshKeys.list.queryOptions({ projectId, limit: 200 }, { enabled: open }));
  const volumes = useQuery(trpc.volumes.list.queryOptions({ projectId, limit: 200 }, { enabled: open }));
  const freeVolumes = (volumes.data?.items ?? []).filter(
    (v) => v.dropletId === null && v.state !== 'deleting',
  );
  const create = useMutation(
    trpc.droplets.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.droplets.list.pathKey() }),
    }),
  );

  return (
    <CreateDialog
      title="Create a droplet"
      description="A virtual machine in this project. It boots from the image you choose and gets a private address."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateDropletInput}
      defaultValues={
        {
          name: '',
          size: 's-1vcpu-1gb',
          image: 'ubuntu-24-04',
          sshKeyIds: [],
          volumeIds: [],
          tags: '',
          userData: '',
        } satisfies DropletForm
      }
      toInput={(f: DropletForm) => ({
        projectId,
        name: f.name,
        size: f.size,
        image: f.image,
        sshKeyIds: f.sshKeyIds,
        volumeIds: f.volumeIds,
        tags: splitList(f.tags),
        ...(f.userData.trim() ? { userData: f.userData } : {}),
      })}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Create droplet"
      notice={
        <QuotaNotice projectId={projectId} limits={['droplets', 'vcpus', 'memoryMiB']} what="a droplet" />
      }
    >
      {(form) => (
        <>
          <FormField
            form={form}
            name="name"
            label="Name"
            hint="Lowercase letters, digits and '-', e.g. web-1."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField form={form} name="size" label="Size">
              {(p) => (
                <NativeSelect {...p}>
                  {(sizes.data ?? []).map((s) => (
                    <option key={s.slug} value={s.slug}>
                      {s.vcpus} vCPU · {formatMemory(s.memoryMiB)} · {s.diskGiB} GiB
                    </option>
                  ))}
                </NativeSelect>
              )}
            </FormField>
            <FormField form={form} name="image" label="Image">
              {(p) => (
                <NativeSelect {...p}>
                  <ImageOptions enabled={open} />
                </NativeSelect>
              )}
            </FormField>
          </div>
          <CheckboxList
            form={form}
            name="sshKeyIds"
            legend="SSH keys"
            options={(keys.data?.items ?? []).map((k) => ({
              value: k.id,
              label: (
                <span>
                  {k.name} <span className="font-mono text-xs text-muted-foreground">{k.fingerprint}</span>
                </span>
              ),
            }))}
            empty="No SSH keys in this project yet. Add one under SSH keys to log in without a password."
          />
          <CheckboxList
            form={form}
            name="volumeIds"
            legend="Attach volumes"
            options={freeVolumes.map((v) => ({ value: v.id, label: `${v.name} (${v.sizeGiB} GiB)` }))}
            empty="No unattached volumes. Volumes can also be attached later."
          />
          <FormField
            form={form}
            name="tags"
            label="Tags"
            hint="Separated by commas or spaces; firewalls can target tags."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField
            form={form}
            name="userData"
            label="User data (optional)"
            hint="A cloud-init script run on first boot, at most 64 KiB."
          >
            {(p) => <Textarea rows={3} {...p} />}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}
