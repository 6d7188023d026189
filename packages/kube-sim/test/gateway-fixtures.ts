import { type AppIntent, type ProjectIntent, namespaceName } from '@uncloud/kube';
import { AppId, ProjectId } from '@uncloud/sdk';

// What the gateway's tests write, on either tier: one project and one app in it.

export const project: ProjectIntent = { id: ProjectId.parse('proj_0123456789abcdefghij'), name: 'shop' };

export const app: AppIntent = {
  id: AppId.parse('app_0123456789abcdefghij'),
  projectId: project.id,
  name: 'api',
  image: 'nginx:1.27',
  port: 80,
  replicas: 2,
  env: {},
  domains: [],
  healthCheckPath: null,
};

export const namespace = namespaceName(project.id);
