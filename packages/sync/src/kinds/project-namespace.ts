import { type Db, projectsRepository } from '@uncloud/db';
import { namespaceName } from '@uncloud/kube';

/** The project's namespace, or null while the sync engine has not seen it active yet. */
export const readyNamespace = (db: Db, projectId: string): string | null =>
  projectsRepository.find(db, projectId)?.namespace ? namespaceName(projectId) : null;

export const waitingForNamespace = { waitingFor: "the project's namespace" };
