import { useParams } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { Facts, syncFacts } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { EditFirewallDialog } from './edit-firewall-dialog.tsx';
import { describeInbound, describeOutbound } from './firewall-text.ts';
import { useTargetNames } from './use-target-names.ts';

export function FirewallDetailPage() {
  const { firewallId = '' } = useParams();
  const detail = useResourceDetail('firewalls', firewallId);
  const targets = useTargetNames(detail.projectId);
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(f) =>
        `${f.inbound.length} inbound and ${f.outbound.length} outbound rule${f.outbound.length === 1 ? '' : 's'} · applies to ${f.targets.length}`
      }
      extraActions={(f, refusal) => <EditFirewallDialog firewall={f} targets={targets} refusal={refusal} />}
      deleteWarning={(f) =>
        `The rules of ${f.name} stop applying; its droplets and apps accept traffic as before it existed.`
      }
    >
      {(f) => (
        <div className="grid gap-6 lg:grid-cols-2">
          <Facts
            title="Rules"
            facts={[
              [
                'Inbound',
                f.inbound.length === 0 ? (
                  'Nothing is let in'
                ) : (
                  <ul>
                    {f.inbound.map((r, i) => (
                      <li key={i}>{describeInbound(r, targets.name)}</li>
                    ))}
                  </ul>
                ),
              ],
              [
                'Outbound',
                f.outbound.length === 0 ? (
                  'No outbound rules: everything may leave'
                ) : (
                  <ul>
                    {f.outbound.map((r, i) => (
                      <li key={i}>{describeOutbound(r, targets.name)}</li>
                    ))}
                  </ul>
                ),
              ],
              [
                'Applies to',
                f.targets.length === 0
                  ? 'Nothing yet: edit the firewall to choose droplets, apps or tags'
                  : f.targets.map(targets.name).join(', '),
              ],
              [
                'DNS',
                f.outbound.length === 0
                  ? 'Not restricted'
                  : f.allowDns
                    ? "Allowed to the cluster's resolver despite the outbound rules"
                    : 'Not allowed by this firewall',
              ],
              ['ID', <Copyable value={f.id} label="Copy ID" />],
            ]}
          />
          <Facts title="Runtime" facts={syncFacts(f)} />
          <Facts
            title="Enforced on"
            facts={
              f.appliesTo.length === 0
                ? [['Targets', 'No droplet or app: the firewall applies to nothing now']]
                : f.appliesTo.map((t) => [
                    `${t.kind === 'droplet' ? 'Droplet' : 'App'} ${t.name ?? t.id}`,
                    <span data-testid={`enforcement-${t.id}`}>
                      {t.enforced ? 'Enforced' : 'Not enforced'}
                      {t.note ? ` — ${t.note}` : ''}
                    </span>,
                  ])
            }
          />
        </div>
      )}
    </ResourceDetailPage>
  );
}
