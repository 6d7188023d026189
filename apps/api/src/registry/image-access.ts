import { type Db, projectsRepository } from '@uncloud/db';
import { registryHostOf } from '@uncloud/kube';
import { type ProjectId, badRequest } from '@uncloud/sdk';
import { projectOfNamespace } from './namespaces.ts';

/**
 * Refuses an image of Uncloud's registry outside the project's own repositories: the app's pull
 * credential reaches only `<host>/<project>/…`, so its pods would never start. Said at once,
 * rather than as an image pull failure later.
 */
export const assertImageReachable = (
  db: Db,
  registryHost: string | undefined,
  projectId: ProjectId,
  image: string,
) => {
  if (!registryHost || registryHostOf(image) !== registryHost) return;
  const project = projectsRepository.find(db, projectId)!;
  const prefix = `${registryHost}/${project.name}/`;
  if (image.startsWith(prefix) && projectOfNamespace(db, project.name)?.id !== projectId)
    throw badRequest(
      `${prefix} holds the images of an earlier project of the same name, which this one cannot pull: rename this project to push images of its own`,
      'image',
    );
  if (!image.startsWith(prefix))
    throw badRequest(
      `${image} is not in this project's repositories of Uncloud's registry, which its apps pull from: push the image under ${prefix}`,
      'image',
    );
};
