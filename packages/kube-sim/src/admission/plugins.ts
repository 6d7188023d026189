// The admission chain the simulated API server runs, in kube-apiserver's plugin order: decoding's
// pod and LimitRange defaults, then the mutating plugins (LimitRanger, ServiceAccount, Priority,
// DefaultTolerationSeconds, DefaultStorageClass), then, after the kind's validation, the
// validating ones (LimitRanger's bounds, the operators' webhooks, ResourceQuota last).
import type { AdmissionChain } from './chain.ts';
import { defaultStorageClass } from './default-storage-class.ts';
import { defaultTolerationSeconds } from './default-toleration-seconds.ts';
import { limitRangeDefaults, limitRangerMutation, limitRangerValidation } from './limit-ranger.ts';
import { operatorWebhooks } from './operator-webhooks.ts';
import { podDefaults } from './pod-defaults.ts';
import { priorityAdmission } from './priority.ts';
import { resourceQuotaAdmission } from './resource-quota.ts';
import { serviceAccountAdmission } from './service-account.ts';

export function realAdmissionChain(): AdmissionChain {
  return {
    mutating: [
      podDefaults,
      limitRangeDefaults,
      limitRangerMutation,
      serviceAccountAdmission,
      priorityAdmission,
      defaultTolerationSeconds,
      defaultStorageClass,
    ],
    // ValidatingAdmissionWebhook (KubeVirt's and CloudNativePG's) runs just before ResourceQuota.
    validating: [limitRangerValidation, operatorWebhooks, resourceQuotaAdmission],
  };
}
