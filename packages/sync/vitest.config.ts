import { vitestConfig } from '@uncloud/vitest-config';

export default vitestConfig();
