import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AddMemberInput, type Member, type Project } from '@uncloud/sdk';
import { PlusIcon, UserMinusIcon, UsersIcon } from 'lucide-react';
import { useState } from 'react';
import { useAccess } from '../../app/access.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { RefusalNote, refusedProps } from '../../components/refusal-note.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { useTRPC } from '../../lib/trpc.ts';

type MemberForm = { userId: string; role: string };

/** Who may work in the project, and with which role; owners add and remove people. */
export function MembersCard({ project }: { project: Project }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.projects.members.queryOptions({ projectId: project.id }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.projects.members.pathKey() });
  const add = useMutation(trpc.projects.addMember.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.projects.removeMember.mutationOptions({ onSettled: refresh }));
  const [leaving, setLeaving] = useState<Member | null>(null);
  // A role is changed in place: adding someone who is a member already sets their role.
  const change = useMutation(trpc.projects.addMember.mutationOptions({ onSettled: refresh }));
  const [roleError, setRoleError] = useState<{ userId: string; message: string } | null>(null);
  const changeRole = (m: Member, role: string) => {
    setRoleError(null);
    change.mutate(
      { projectId: project.id, userId: m.user.id, role: role as Member['role'] },
      { onError: (error) => setRoleError({ userId: m.user.id, message: errorMessage(error) }) },
    );
  };
  const access = useAccess(project.id);
  const addRefusal = access.refusal('owner', { verb: 'add', object: 'members' });
  const removeRefusal = access.refusal('owner', { verb: 'remove', object: 'members' });
  // Only admins may list users; everyone else adds people by the id they were given.
  const users = useQuery(trpc.users.list.queryOptions(undefined, { enabled: access.isAdmin }));
  const candidates = users.data?.filter((u) => !members.data?.some((m) => m.user.id === u.id));

  let body;
  if (members.isPending) body = <LoadingRows rows={2} />;
  else if (members.isError)
    body = (
      <div className="p-4">
        <ErrorState error={members.error} onRetry={() => void members.refetch()} />
      </div>
    );
  else if (members.data.length === 0) body = <EmptyState icon={<UsersIcon />} title="No members" />;
  else
    body = (
      <Table aria-label="Members">
        <TableHeader>
          <TableRow>
            <TableHead>User</TableHead>
            <TableHead>Role</TableHead>
            <TableHead className="w-12">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {members.data.map((m) => (
            <TableRow key={m.user.id}>
              <TableCell>
                <div className="font-medium">{m.user.name}</div>
                <div className="font-mono text-xs text-muted-foreground">{m.user.id}</div>
              </TableCell>
              <TableCell>
                {addRefusal ? (
                  m.role
                ) : (
                  <NativeSelect
                    aria-label={`Role of ${m.user.name}`}
                    className="h-8 w-32"
                    value={m.role}
                    disabled={change.isPending}
                    onChange={(e) => changeRole(m, e.target.value)}
                  >
                    <option value="viewer">Viewer</option>
                    <option value="member">Member</option>
                    <option value="owner">Owner</option>
                  </NativeSelect>
                )}
                {roleError?.userId === m.user.id ? (
                  <p role="alert" className="mt-1 max-w-xs text-xs text-destructive">
                    {roleError.message}
                  </p>
                ) : null}
              </TableCell>
              <TableCell className="text-right">
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove ${m.user.name}`}
                  {...refusedProps(removeRefusal)}
                  onClick={() => setLeaving(m)}
                >
                  <UserMinusIcon />
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );

  return (
    <Card className="overflow-hidden">
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>Members</CardTitle>
        <CreateDialog
          title="Add a member"
          description="Viewers can look, members can create and change resources, owners also manage members, quota and the project."
          trigger={
            <Button variant="outline" size="sm" {...refusedProps(addRefusal)}>
              <PlusIcon aria-hidden /> Add member
            </Button>
          }
          schema={AddMemberInput}
          defaultValues={{ userId: '', role: 'member' } satisfies MemberForm}
          toInput={(f: MemberForm) => ({ projectId: project.id, userId: f.userId.trim(), role: f.role })}
          onSubmit={(input) => add.mutateAsync(input)}
          submitLabel="Add member"
          pendingLabel="Adding…"
        >
          {(form) => (
            <>
              {candidates ? (
                <FormField form={form} name="userId" label="User">
                  {(p) => (
                    <NativeSelect {...p}>
                      <option value="">Choose a user…</option>
                      {candidates.map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name}
                        </option>
                      ))}
                    </NativeSelect>
                  )}
                </FormField>
              ) : (
                <FormField
                  form={form}
                  name="userId"
                  label="User id"
                  hint="usr_…, as the person sees it in their account."
                >
                  {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
                </FormField>
              )}
              <FormField form={form} name="role" label="Role">
                {(p) => (
                  <NativeSelect {...p}>
                    <option value="viewer">Viewer</option>
                    <option value="member">Member</option>
                    <option value="owner">Owner</option>
                  </NativeSelect>
                )}
              </FormField>
            </>
          )}
        </CreateDialog>
      </CardHeader>
      <RefusalNote className="px-6 pb-3" refusals={[addRefusal, removeRefusal]} />
      {body}
      <ConfirmDialog
        open={leaving !== null}
        onOpenChange={(open) => !open && setLeaving(null)}
        title={`Remove ${leaving?.user.name ?? ''} from ${project.name}?`}
        description="They lose access to everything in the project at once. Their API tokens keep working for other projects."
        confirmLabel="Remove member"
        onConfirm={() =>
          leaving ? remove.mutateAsync({ projectId: project.id, userId: leaving.user.id }) : Promise.resolve()
        }
      />
    </Card>
  );
}
