// Simulated Rook-Ceph object store (its bucket provisioner and user controller). An
// ObjectBucketClaim whose StorageClass is a Rook bucket class is bound: the provisioner makes the
// bucket (its `spec.bucketName`, or `generateBucketName` and a random suffix), writes a Secret with
// the bucket owner's keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and a ConfigMap with where it is
// (BUCKET_HOST, BUCKET_NAME, BUCKET_PORT, BUCKET_REGION), both named after the claim and owned by it,
// and sets `status.phase: Bound`. A claim of another class stays Pending, as no provisioner takes
// it. A CephObjectStoreUser becomes Ready; a user with a keys Secret that says it is the source of
// truth keeps those keys, else Rook writes the Secret with generated ones.
import { randomBytes } from 'node:crypto';
import { ownerRef } from '../meta.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { createIgnoringExists, mustType, writeStatus } from './util.ts';

export const OBJECT_BUCKET_CLAIM = 'objectbucket.io/objectbucketclaims';
export const OBJECT_STORE_USER = 'ceph.rook.io/cephobjectstoreusers';
const STORAGE_CLASS = 'storage.k8s.io/storageclasses';
/** Rook's bucket provisioner is named `<operator namespace>.ceph.rook.io/bucket`. */
const ROOK_BUCKET_PROVISIONER = /\.ceph\.rook\.io\/bucket$/;

const accessKey = () => randomBytes(15).toString('hex').toUpperCase().slice(0, 20);
const secretKey = () => randomBytes(30).toString('base64');

export const objectBucketController: Controller = {
  name: 'object-bucket',
  keysFor(e) {
    if ((e.typeKey === OBJECT_BUCKET_CLAIM || e.typeKey === OBJECT_STORE_USER) && e.type !== 'DELETED')
      return [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)];
    return [];
  },
  reconcile(key, { api }) {
    const { typeKey, namespace, name } = splitKey(key);
    const type = api.registry.get(typeKey);
    if (!type) return;
    const object = api.find(type, namespace, name);
    if (!object || object.metadata.deletionTimestamp) return;
    const secrets = mustType(api, '/secrets');

    if (typeKey === OBJECT_STORE_USER) {
      const store = String(object.spec?.store ?? '');
      const secretName = `rook-ceph-object-user-${store}-${name}`;
      if (!api.find(secrets, namespace, secretName))
        createIgnoringExists(api, secrets, namespace, {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'kubernetes.io/rook',
          metadata: { name: secretName, ownerReferences: [ownerRef(object)] },
          stringData: {
            AccessKey: accessKey(),
            SecretKey: secretKey(),
            Endpoint: `http://rook-ceph-rgw-${store}.rook-ceph.svc:80`,
          },
        });
      writeStatus(api, type, object, {
        phase: 'Ready',
        info: { secretName },
        observedGeneration: object.metadata.generation,
      });
      return;
    }

    if (object.status?.phase === 'Bound') return;
    const className = String(object.spec?.storageClassName ?? '');
    const storageClass = api.store.get(STORAGE_CLASS, '', className);
    if (!storageClass || !ROOK_BUCKET_PROVISIONER.test(String(storageClass.provisioner ?? ''))) {
      writeStatus(api, type, object, { phase: 'Pending' });
      return;
    }
    const bucketName = String(
      object.spec?.bucketName ||
        `${object.spec?.generateBucketName ?? name}-${randomBytes(4).toString('hex')}`,
    );
    const parameters = (storageClass.parameters ?? {}) as Record<string, string>;
    const store = parameters.objectStoreName ?? 'objects';
    const owned = {
      name,
      ownerReferences: [ownerRef(object)],
      labels: { 'bucket-provisioner': String(storageClass.provisioner).replace('/', '.') },
    };
    createIgnoringExists(api, secrets, namespace, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: owned,
      stringData: { AWS_ACCESS_KEY_ID: accessKey(), AWS_SECRET_ACCESS_KEY: secretKey() },
    });
    createIgnoringExists(api, mustType(api, '/configmaps'), namespace, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: owned,
      data: {
        BUCKET_HOST: `rook-ceph-rgw-${store}.rook-ceph.svc`,
        BUCKET_NAME: bucketName,
        BUCKET_PORT: '80',
        BUCKET_REGION: 'us-east-1',
        BUCKET_SUBREGION: '',
      },
    });
    writeStatus(api, type, object, { phase: 'Bound' });
  },
};
