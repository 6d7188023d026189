// Every probe, in report order.
import type { Probe } from '../types.ts';
import { admissionProbes } from './admission.ts';
import { applyProbes } from './apply.ts';
import { crdSchemaProbes } from './crd-schema.ts';
import { deletionProbes } from './deletion.ts';
import { fieldValidationProbes } from './field-validation.ts';
import { immutabilityProbes } from './immutability.ts';
import { kubectlProbes } from './kubectl.ts';
import { listProbes } from './lists.ts';
import { validationProbes } from './validation.ts';
import { workloadProbes } from './workloads.ts';

export const probes: Probe[] = [
  ...validationProbes,
  ...immutabilityProbes,
  ...fieldValidationProbes,
  ...crdSchemaProbes,
  ...workloadProbes,
  ...deletionProbes,
  ...listProbes,
  ...applyProbes,
  ...admissionProbes,
  ...kubectlProbes,
];
