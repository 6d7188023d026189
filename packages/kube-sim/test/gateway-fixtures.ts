import { type AppIntent, KubeError, type ProjectIntent, namespaceName } from '@uncloud/kube';
import { expect } from 'vitest';
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

/**
 * The failures a gateway suite provokes, kept so that its last test can check what a person would
 * read: `failure(call)` expects the call to fail with a KubeError and returns it.
 */
export const kubeErrorRecorder = () => {
  const seen: KubeError[] = [];
  const failure = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      expect(error).toBeInstanceOf(KubeError);
      seen.push(error as KubeError);
      return error as KubeError;
    }
    throw new Error('expected the call to fail');
  };
  /** None of the errors seen shows a REST path to a person. */
  const expectNoRestPaths = () => {
    expect(seen.length).toBeGreaterThan(5);
    for (const error of seen) {
      expect(error.message).not.toMatch(/\/apis?\//);
      expect(error.detail).not.toMatch(/\/apis?\//);
    }
  };
  return { failure, expectNoRestPaths };
};
