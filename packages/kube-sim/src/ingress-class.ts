// The DefaultIngressClass admission: an Ingress created without a class (neither
// spec.ingressClassName nor the legacy kubernetes.io/ingress.class annotation) gets the IngressClass
// annotated ingressclass.kubernetes.io/is-default-class=true (the newest, when several are).
import type { Admission } from './object-api.ts';

const DEFAULT_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export const defaultIngressClass: Admission = ({ op, type, object }, api) => {
  if (op !== 'create' || type.kind !== 'Ingress' || type.group !== 'networking.k8s.io') return;
  if (object.spec?.ingressClassName !== undefined) return;
  if (object.metadata.annotations?.['kubernetes.io/ingress.class'] !== undefined) return;
  const defaults = api.store
    .list('networking.k8s.io/ingressclasses')
    .filter((c) => c.metadata.annotations?.[DEFAULT_ANNOTATION] === 'true')
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  const name = defaults[0]?.metadata.name;
  if (name) object.spec = { ...object.spec, ingressClassName: name };
};
