import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CreateSshKeyInput } from '@uncloud/sdk';
import { CreateDialog, type ResourceCreateDialogProps } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input, Textarea } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

type SshKeyForm = { name: string; publicKey: string };

export function CreateSshKeyDialog({ projectId, open, onOpenChange, trigger }: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.sshKeys.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sshKeys.list.pathKey() }),
    }),
  );
  return (
    <CreateDialog
      title="Add an SSH key"
      description="Droplets created with this key accept logins from whoever holds the matching private key."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateSshKeyInput}
      defaultValues={{ name: '', publicKey: '' } satisfies SshKeyForm}
      toInput={(f: SshKeyForm) => ({ projectId, name: f.name, publicKey: f.publicKey.trim() })}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Add SSH key"
    >
      {(form) => (
        <>
          <FormField
            form={form}
            name="name"
            label="Name"
            hint="Lowercase letters, digits and '-', e.g. laptop."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField
            form={form}
            name="publicKey"
            label="Public key"
            hint={
              <>
                The contents of <code className="font-mono">~/.ssh/id_ed25519.pub</code>, starting with
                ssh-ed25519, ssh-rsa or ecdsa-sha2-….
              </>
            }
          >
            {(p) => (
              <Textarea rows={4} spellCheck={false} placeholder="ssh-ed25519 AAAA… you@laptop" {...p} />
            )}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}
