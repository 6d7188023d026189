// The DefaultStorageClass admission plugin: a PVC without a storage class gets the default one.
import type { Admission } from './chain.ts';

export const defaultStorageClass: Admission = ({ op, type, object }, api) => {
  if (
    op !== 'create' ||
    type.kind !== 'PersistentVolumeClaim' ||
    type.group !== '' ||
    object.spec?.storageClassName !== undefined
  )
    return;
  const def = api.store
    .list('storage.k8s.io/storageclasses')
    .find((s) => s.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
  if (def && object.spec) object.spec.storageClassName = def.metadata.name;
};
