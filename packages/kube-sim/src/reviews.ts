// The create-only review resources `kubectl auth can-i` and `kubectl auth whoami` ask:
// SelfSubjectAccessReview, SelfSubjectRulesReview (authorization.k8s.io/v1) and SelfSubjectReview
// (authentication.k8s.io/v1). Nothing is stored: the answer is the review with its status.
//
// The simulator has one user, its bearer token's, an administrator (group system:masters, as
// kube-real's admin): it may do anything. It has no RBAC, so a user impersonated with
// `Impersonate-User` (`kubectl --as`) is one no role is bound to, and may do nothing, as on a real
// cluster for a user it has never heard of.
import type { IncomingMessage } from 'node:http';
import { invalid } from './errors.ts';
import type { ResourceType, StoredObject } from './types.ts';

export const ADMIN_USER = { username: 'uncloud-admin', groups: ['system:masters', 'system:authenticated'] };

const AUTHZ = 'authorization.k8s.io';
const AUTHN = 'authentication.k8s.io';

const REVIEWS = new Set([
  `${AUTHZ}/selfsubjectaccessreviews`,
  `${AUTHZ}/selfsubjectrulesreviews`,
  `${AUTHN}/selfsubjectreviews`,
]);

export function isReview(type: Pick<ResourceType, 'group' | 'plural'>): boolean {
  return REVIEWS.has(`${type.group}/${type.plural}`);
}

interface UserInfo {
  username: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Who the request acts as: the token's administrator, or the user it impersonates. */
function userOf(req: IncomingMessage): UserInfo {
  const header = (name: string): string[] => {
    const v = req.headers[name];
    return v === undefined ? [] : Array.isArray(v) ? v : v.split(',').map((s) => s.trim());
  };
  const [user] = header('impersonate-user');
  if (!user) return ADMIN_USER;
  const groups = header('impersonate-group');
  const extra: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (name.startsWith('impersonate-extra-') && value !== undefined)
      extra[decodeURIComponent(name.slice('impersonate-extra-'.length))] = Array.isArray(value)
        ? value
        : [value];
  return {
    username: user,
    groups: [...groups, ...(groups.includes('system:authenticated') ? [] : ['system:authenticated'])],
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

const isAdmin = (u: UserInfo) => u.groups.includes('system:masters');

/** The review with its status, as a create answers it (201). */
export function answerReview(type: ResourceType, body: StoredObject, req: IncomingMessage): StoredObject {
  const user = userOf(req);
  const meta = { creationTimestamp: null } as unknown as StoredObject['metadata'];
  const head = { kind: type.kind, apiVersion: `${type.group}/${type.version}`, metadata: meta };
  if (type.plural === 'selfsubjectreviews') return { ...head, status: { userInfo: user } } as StoredObject;
  const spec = (body.spec ?? {}) as Record<string, unknown>;
  if (type.plural === 'selfsubjectaccessreviews') {
    const kinds = ['resourceAttributes', 'nonResourceAttributes'].filter((k) => spec[k] !== undefined);
    if (kinds.length !== 1)
      throw invalid(type, '', [
        {
          field: 'spec.resourceAttributes',
          message: `Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
        },
      ]);
    return { ...head, spec, status: { allowed: isAdmin(user) } } as StoredObject;
  }
  // SelfSubjectRulesReview: everything for the administrator; for anyone else, what every
  // authenticated user may do (the self-reviews and discovery).
  const status = isAdmin(user)
    ? {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      }
    : {
        resourceRules: [
          {
            verbs: ['create'],
            apiGroups: [AUTHZ],
            resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
          },
          { verbs: ['create'], apiGroups: [AUTHN], resources: ['selfsubjectreviews'] },
        ],
        nonResourceRules: [
          {
            verbs: ['get'],
            nonResourceURLs: [
              '/api',
              '/api/*',
              '/apis',
              '/apis/*',
              '/healthz',
              '/livez',
              '/openapi',
              '/openapi/*',
              '/readyz',
              '/version',
              '/version/',
            ],
          },
        ],
        incomplete: false,
      };
  return { ...head, spec, status } as StoredObject;
}
