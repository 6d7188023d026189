import { useParams } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { type Fact, Facts, syncFacts } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { EditLoadBalancerDialog } from './edit-load-balancer-dialog.tsx';
import { useLoadBalancerActions } from './load-balancer-actions.tsx';
import {
  describeCertificate,
  describeHealthCheck,
  describeRule,
  healthSummary,
} from './load-balancer-text.ts';
import { loadBalancerDeleteWarning } from './load-balancers-page.tsx';

export function LoadBalancerDetailPage() {
  const { loadBalancerId = '' } = useParams();
  const detail = useResourceDetail('loadBalancers', loadBalancerId);
  const actions = useLoadBalancerActions();
  return (
    <ResourceDetailPage
      detail={detail}
      actions={actions}
      subtitle={(lb) => `${lb.address ?? 'Waiting for an address'} · ${healthSummary(lb)}`}
      extraActions={(lb, refusal) => <EditLoadBalancerDialog loadBalancer={lb} refusal={refusal} />}
      deleteWarning={loadBalancerDeleteWarning}
    >
      {(lb) => (
        <div className="grid gap-6 lg:grid-cols-2">
          <Facts
            title="Load balancer"
            facts={[
              [
                'Address',
                lb.address ? (
                  <Copyable key="address" value={lb.address} label="Copy address" />
                ) : (
                  'Waiting for an address'
                ),
              ],
              [
                'Forwarding',
                <ul key="rules">
                  {lb.forwardingRules.map((r) => (
                    <li key={`${r.entryProtocol}-${r.entryPort}`}>{describeRule(r)}</li>
                  ))}
                </ul>,
              ],
              ['Health check', describeHealthCheck(lb)],
              ...(lb.forwardingRules.some((r) => r.hostname)
                ? [
                    ['HTTPS certificate', describeCertificate(lb)] as Fact,
                    ['Redirect HTTP to HTTPS', lb.redirectHttpToHttps ? 'On' : 'Off'] as Fact,
                  ]
                : []),
              ['Sends to', lb.tag ? `Droplets tagged ${lb.tag}` : 'The droplets chosen below'],
              ['Sticky sessions', lb.stickySessions ? 'On: a client keeps reaching the same droplet' : 'Off'],
              ['ID', <Copyable key="id" value={lb.id} label="Copy ID" />],
            ]}
          />
          <Facts title="Runtime" facts={syncFacts(lb)} />
          <Facts
            title="Targets"
            facts={
              lb.targets.length === 0
                ? [['Droplets', lb.tag ? `No droplet has the tag ${lb.tag} yet` : 'None']]
                : lb.targets.map((t) => [
                    `Droplet ${t.name ?? t.dropletId}`,
                    <span key={t.dropletId} data-testid={`health-${t.dropletId}`}>
                      <span className={t.healthy ? 'font-medium' : 'font-medium text-destructive'}>
                        {t.healthy ? 'Healthy' : 'Unhealthy'}
                      </span>
                      <span
                        className="block text-xs text-muted-foreground"
                        data-testid={`reason-${t.dropletId}`}
                      >
                        {t.reason}
                        {t.since ? ` · since ${new Date(t.since).toLocaleTimeString()}` : ''}
                      </span>
                    </span>,
                  ])
            }
          />
        </div>
      )}
    </ResourceDetailPage>
  );
}
