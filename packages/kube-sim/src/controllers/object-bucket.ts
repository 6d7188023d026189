// Simulated Rook-Ceph object store (its bucket provisioner and user controller). An
// ObjectBucketClaim whose StorageClass is a Rook bucket class is bound: the provisioner makes the
// bucket (its `spec.bucketName`, or `generateBucketName` and a random suffix) and an owner user,
// writes a Secret with the owner's keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and a ConfigMap
// with where it is (BUCKET_HOST, BUCKET_NAME, BUCKET_PORT, BUCKET_REGION), both named after the claim
// and owned by it, and sets `status.phase: Bound`. A claim of another class stays Pending, as no
// provisioner takes it. A CephObjectStoreUser becomes Ready; a user with a keys Secret that says it
// is the source of truth keeps those keys, else Rook writes the Secret with generated ones.
//
// Both carry their finalizer (lib-bucket-provisioner's `objectbucket.io/finalizer`, Rook's
// `cephobjectstoreuser.ceph.rook.io`): a claim deleted under the class's reclaim policy Delete takes
// its bucket and every object in it, and its owner user; a user deleted takes its keys.
//
// Behind it is an S3 server (a real one, see object-store-backend.ts, or by default the cluster's
// own, object-store/): the users sign with their keys there, the bucket exists there, the claim's
// `additionalConfig.bucketPolicy` is its policy there, and the ConfigMap says where it is. Without
// a backend (a controller made on its own, in tests), only the objects are written.
import { randomBytes } from 'node:crypto';
import { ownerRef } from '../meta.ts';
import type { ObjectApi } from '../object-api.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller, type ReconcileResult } from './manager.ts';
import type { SimObjects } from '../sim-objects.ts';
import type { ObjectStoreBackend } from './object-store-backend.ts';
import { createIgnoringExists, mustType, writeStatus } from './util.ts';

export const OBJECT_BUCKET_CLAIM = 'objectbucket.io/objectbucketclaims';
export const OBJECT_STORE_USER = 'ceph.rook.io/cephobjectstoreusers';
export const BUCKET_FINALIZER = 'objectbucket.io/finalizer';
export const USER_FINALIZER = 'cephobjectstoreuser.ceph.rook.io';
const STORAGE_CLASS = 'storage.k8s.io/storageclasses';
/** Rook's bucket provisioner is named `<operator namespace>.ceph.rook.io/bucket`. */
const ROOK_BUCKET_PROVISIONER = /\.ceph\.rook\.io\/bucket$/;
/** RGW's user ARN, as bucket policies name users: `arn:aws:iam:::user/<uid>`. */
const USER_ARN = /^arn:aws:iam::[^:]*:user\/(.+)$/;
/** How soon a key whose backend call is in flight, or failed, is looked at again. */
const BACKEND_POLL_MS = 25;
const BACKEND_RETRY_MS = 500;

const accessKey = () => randomBytes(15).toString('hex').toUpperCase().slice(0, 20);
const secretKey = () => randomBytes(30).toString('base64');
const decode = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64').toString() : '');
const finalizersOf = (o: StoredObject) => o.metadata.finalizers ?? [];
const dataOf = (o: StoredObject | undefined) => (o?.data ?? {}) as Record<string, unknown>;

/** Calls to the backend are asynchronous; a reconcile starts one and looks for its outcome later. */
export class BackendCalls {
  private readonly calls = new Map<string, { signature: string; outcome?: 'done' | Error }>();

  /**
   * `done` once `run` (for this key and signature) has succeeded; else starts it if it is not
   * running and answers how soon to look again.
   */
  step(key: string, signature: string, run: () => Promise<void>): 'done' | ReconcileResult {
    const call = this.calls.get(key);
    if (call?.signature === signature) {
      if (call.outcome === 'done') return 'done';
      if (call.outcome === undefined) return { requeueAfterMs: BACKEND_POLL_MS };
    }
    const started: { signature: string; outcome?: 'done' | Error } = { signature };
    this.calls.set(key, started);
    run().then(
      () => (started.outcome = 'done'),
      (error: unknown) => (started.outcome = error instanceof Error ? error : new Error(String(error))),
    );
    return { requeueAfterMs: call?.outcome instanceof Error ? BACKEND_RETRY_MS : BACKEND_POLL_MS };
  }

  /** The last failure for a key, to report. */
  failure(key: string): Error | undefined {
    const outcome = this.calls.get(key)?.outcome;
    return outcome instanceof Error ? outcome : undefined;
  }

  forget(key: string): void {
    this.calls.delete(key);
  }
}

function withoutFinalizer(api: ObjectApi, typeKey: string, object: StoredObject, finalizer: string): void {
  if (!finalizersOf(object).includes(finalizer)) return;
  const type = mustType(api, typeKey);
  api.update(type, object.metadata.namespace ?? '', object.metadata.name ?? '', {
    ...object,
    metadata: { ...object.metadata, finalizers: finalizersOf(object).filter((f) => f !== finalizer) },
  });
}

function withFinalizer(
  api: ObjectApi,
  typeKey: string,
  object: StoredObject,
  finalizer: string,
): StoredObject {
  if (finalizersOf(object).includes(finalizer)) return object;
  const type = mustType(api, typeKey);
  return api.update(type, object.metadata.namespace ?? '', object.metadata.name ?? '', {
    ...object,
    metadata: { ...object.metadata, finalizers: [...finalizersOf(object), finalizer] },
  });
}

/** The keys a CephObjectStoreUser signs with, from the Secret Rook keeps them in. */
const userSecretName = (user: StoredObject) =>
  `rook-ceph-object-user-${String(user.spec?.store ?? '')}-${user.metadata.name}`;

function keysOf(api: ObjectApi, user: StoredObject) {
  const secret = api.find(mustType(api, '/secrets'), user.metadata.namespace ?? '', userSecretName(user));
  const access = decode(dataOf(secret).AccessKey);
  return access ? { access, secret: decode(dataOf(secret).SecretKey) } : undefined;
}

/** A user's keys once it is Ready: they work in the store, so a policy may name it. */
function readyUserKeys(api: ObjectApi, namespace: string, userName: string) {
  const user = api.find(mustType(api, OBJECT_STORE_USER), namespace, userName);
  return user && user.status?.phase === 'Ready' && !user.metadata.deletionTimestamp
    ? keysOf(api, user)
    : undefined;
}

/**
 * The claim's policy as the backend reads it: RGW names users by ARN, the backend by access key,
 * and RGW's bucket owner keeps its access whatever the policy says, so the owner is allowed too.
 * Undefined while a user it names has no keys yet.
 */
function backendPolicy(
  api: ObjectApi,
  namespace: string,
  bucket: string,
  policy: string,
  owner: string,
): string | undefined {
  const parsed = JSON.parse(policy) as { Version?: string; Statement?: Record<string, unknown>[] };
  const statements = [];
  for (const statement of parsed.Statement ?? []) {
    const principal = statement.Principal as { AWS?: string | string[] } | string | undefined;
    const named = typeof principal === 'object' ? [principal.AWS ?? []].flat() : [];
    const keys: string[] = [];
    for (const arn of named) {
      const uid = USER_ARN.exec(arn)?.[1];
      // A user that is gone (deleted, or never made) is no one to let in; one being made is waited for.
      if (!uid || !api.find(mustType(api, OBJECT_STORE_USER), namespace, uid)) continue;
      const ready = readyUserKeys(api, namespace, uid);
      if (!ready) return undefined;
      keys.push(ready.access);
    }
    if (typeof principal !== 'object') statements.push(statement);
    else if (keys.length > 0) statements.push({ ...statement, Principal: { AWS: keys } });
  }
  statements.push({
    Effect: 'Allow',
    Principal: { AWS: [owner] },
    Action: ['s3:*'],
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  });
  return JSON.stringify({ Version: parsed.Version ?? '2012-10-17', Statement: statements });
}

export function createObjectBucketController(backend?: ObjectStoreBackend, objects?: SimObjects): Controller {
  const calls = new BackendCalls();
  /** The access key each user was made with in the backend, by the user's key. */
  const made = new Map<string, string>();
  /** Runs a backend step, or is done at once without a backend. */
  const step = (key: string, signature: string, run: (b: ObjectStoreBackend) => Promise<void>) =>
    backend ? calls.step(key, signature, () => run(backend)) : ('done' as const);

  const reconcileUser = (key: string, api: ObjectApi, user: StoredObject): ReconcileResult | void => {
    const namespace = user.metadata.namespace ?? '';
    const secrets = mustType(api, '/secrets');
    const secretName = userSecretName(user);
    if (user.metadata.deletionTimestamp) {
      // Its Secret may be gone already (deleted with it): the key it was made with is remembered.
      const access = made.get(key) ?? keysOf(api, user)?.access;
      const keys = access ? { access } : undefined;
      const done = keys ? step(key, `delete ${keys.access}`, (b) => b.deleteUser(keys.access)) : 'done';
      if (done !== 'done') return done;
      calls.forget(key);
      made.delete(key);
      withoutFinalizer(api, OBJECT_STORE_USER, user, USER_FINALIZER);
      return;
    }
    user = withFinalizer(api, OBJECT_STORE_USER, user, USER_FINALIZER);
    if (!api.find(secrets, namespace, secretName))
      createIgnoringExists(api, secrets, namespace, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/rook',
        metadata: { name: secretName, ownerReferences: [ownerRef(user)] },
        stringData: {
          AccessKey: accessKey(),
          SecretKey: secretKey(),
          Endpoint: backend
            ? backend.endpoint.origin
            : `http://rook-ceph-rgw-${String(user.spec?.store)}.rook-ceph.svc:80`,
        },
      });
    const keys = keysOf(api, user);
    if (!keys) return { requeueAfterMs: BACKEND_POLL_MS };
    const done = step(key, `create ${keys.access} ${keys.secret}`, (b) =>
      b.createUser(keys.access, keys.secret),
    );
    if (done !== 'done') return done;
    made.set(key, keys.access);
    writeStatus(api, mustType(api, OBJECT_STORE_USER), user, {
      phase: 'Ready',
      info: { secretName },
      observedGeneration: user.metadata.generation,
    });
  };

  const reconcileClaim = (key: string, api: ObjectApi, claim: StoredObject): ReconcileResult | void => {
    const type = mustType(api, OBJECT_BUCKET_CLAIM);
    const namespace = claim.metadata.namespace ?? '';
    const name = claim.metadata.name ?? '';
    const secrets = mustType(api, '/secrets');
    const configMaps = mustType(api, '/configmaps');
    const written = () => ({
      owners: api.find(secrets, namespace, name),
      config: api.find(configMaps, namespace, name),
    });
    let { owners, config } = written();
    const bucketName = () => String(dataOf(config).BUCKET_NAME ?? '');
    const owner = () => decode(dataOf(owners).AWS_ACCESS_KEY_ID);

    if (claim.metadata.deletionTimestamp) {
      // Reclaim policy Delete: Rook removes the bucket with its objects, then the owner user;
      // lib-bucket-provisioner lets go of the Secret and ConfigMap, which go with the claim.
      const [bucket, user] = [bucketName(), owner()];
      const done =
        bucket && user
          ? step(key, `purge ${bucket}`, async (b) => {
              await b.purgeBucket(bucket);
              await b.deleteUser(user);
            })
          : 'done';
      if (done !== 'done') return done;
      // Without a real server, what backups uploaded to it goes too.
      if (bucket) objects?.purge(bucket);
      calls.forget(key);
      calls.forget(`${key}|policy`);
      if (owners) withoutFinalizer(api, '/secrets', owners, BUCKET_FINALIZER);
      if (config) withoutFinalizer(api, '/configmaps', config, BUCKET_FINALIZER);
      withoutFinalizer(api, OBJECT_BUCKET_CLAIM, claim, BUCKET_FINALIZER);
      return;
    }

    if (claim.status?.phase !== 'Bound') {
      const className = String(claim.spec?.storageClassName ?? '');
      const storageClass = api.store.get(STORAGE_CLASS, '', className);
      if (!storageClass || !ROOK_BUCKET_PROVISIONER.test(String(storageClass.provisioner ?? ''))) {
        writeStatus(api, type, claim, { phase: 'Pending' });
        return;
      }
      claim = withFinalizer(api, OBJECT_BUCKET_CLAIM, claim, BUCKET_FINALIZER);
      const parameters = (storageClass.parameters ?? {}) as Record<string, string>;
      const store = parameters.objectStoreName ?? 'objects';
      const owned = {
        name,
        ownerReferences: [ownerRef(claim)],
        finalizers: [BUCKET_FINALIZER],
        labels: { 'bucket-provisioner': String(storageClass.provisioner).replace('/', '.') },
      };
      // The owner's keys and the bucket's name are fixed first, so a repeated step makes the same.
      if (!owners)
        createIgnoringExists(api, secrets, namespace, {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'Opaque',
          metadata: owned,
          stringData: { AWS_ACCESS_KEY_ID: accessKey(), AWS_SECRET_ACCESS_KEY: secretKey() },
        });
      const where = backend?.endpoint;
      if (!config)
        createIgnoringExists(api, configMaps, namespace, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: owned,
          data: {
            BUCKET_HOST: where ? where.hostname : `rook-ceph-rgw-${store}.rook-ceph.svc`,
            BUCKET_NAME: String(
              claim.spec?.bucketName ||
                `${claim.spec?.generateBucketName ?? name}-${randomBytes(4).toString('hex')}`,
            ),
            BUCKET_PORT: where ? where.port || (where.protocol === 'https:' ? '443' : '80') : '80',
            BUCKET_REGION: backend?.region ?? 'us-east-1',
            BUCKET_SUBREGION: '',
          },
        });
      ({ owners, config } = written());
    }

    const [bucket, user] = [bucketName(), owner()];
    if (!bucket || !user) return;
    const userSecret = decode(dataOf(owners).AWS_SECRET_ACCESS_KEY);
    const made = step(key, `make ${bucket} ${user}`, async (b) => {
      await b.createUser(user, userSecret);
      await b.createBucket(bucket, user);
    });
    if (made !== 'done') return made;
    const policy = claim.spec?.additionalConfig?.bucketPolicy;
    if (backend) {
      const wanted = typeof policy === 'string' ? backendPolicy(api, namespace, bucket, policy, user) : null;
      // A user the policy names is not made yet: its own reconcile comes first.
      if (wanted === undefined) return { requeueAfterMs: BACKEND_POLL_MS };
      const applied = calls.step(`${key}|policy`, `policy ${wanted}`, () =>
        backend.putBucketPolicy(bucket, wanted),
      );
      if (applied !== 'done') return applied;
    }
    writeStatus(api, type, claim, { phase: 'Bound' });
  };

  return {
    name: 'object-bucket',
    keysFor(e, { api }) {
      const keys: string[] = [];
      if ((e.typeKey === OBJECT_BUCKET_CLAIM || e.typeKey === OBJECT_STORE_USER) && e.type !== 'DELETED')
        keys.push(objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name));
      // A user made, readied or gone changes whom the namespace's claims' policies let in.
      if (backend && e.typeKey === OBJECT_STORE_USER)
        for (const claim of api.store.list(OBJECT_BUCKET_CLAIM, e.object.metadata.namespace))
          keys.push(objKey(OBJECT_BUCKET_CLAIM, claim.metadata.namespace, claim.metadata.name));
      return keys;
    },
    reconcile(key, { api }) {
      const { typeKey, namespace, name } = splitKey(key);
      const type = api.registry.get(typeKey);
      if (!type) return;
      const object = api.find(type, namespace, name);
      if (!object) {
        calls.forget(key);
        return;
      }
      return typeKey === OBJECT_STORE_USER
        ? reconcileUser(key, api, object)
        : reconcileClaim(key, api, object);
    },
  };
}
