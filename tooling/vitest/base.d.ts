import type { ViteUserConfig } from 'vitest/config';

export declare const sourceConditions: string[];
export declare const integrationTimeouts: { testTimeout: number; hookTimeout: number };
export declare const vitestConfig: (own?: ViteUserConfig) => ViteUserConfig;
