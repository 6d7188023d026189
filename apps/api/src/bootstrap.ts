import { accountsRepository as accounts, type IntentStore, newId } from '@uncloud/db';
import { issueToken } from './services/accounts.ts';
import { insertProject } from './services/projects.ts';
import { generateToken, hashToken } from './services/tokens.ts';

export interface BootstrapResult {
  /** The admin token, when this start created it and nobody chose it: show it once. */
  generatedToken: string | undefined;
  createdAdmin: boolean;
}

/**
 * On first start (no users) creates the admin and the `default` project. `UNCLOUD_ADMIN_TOKEN`, when
 * set, becomes a token of the admin on this and every later start, so a fixed token keeps working.
 */
export const bootstrap = (store: IntentStore, adminToken: string | undefined): BootstrapResult =>
  store.transaction((db) => {
    if (accounts.countUsers(db) === 0) {
      const admin = accounts.insertUser(db, { id: newId('user'), name: 'admin', isAdmin: true });
      insertProject(db, admin.id, {
        name: 'default',
        description: 'Created on first start',
        purpose: 'General',
        isDefault: true,
      });
      const token = adminToken ?? generateToken();
      issueToken(db, admin.id, 'admin', token);
      return { generatedToken: adminToken ? undefined : token, createdAdmin: true };
    }
    if (adminToken && !accounts.useToken(db, hashToken(adminToken))) {
      const admin = accounts.listUsers(db).find((u) => u.isAdmin);
      if (admin) issueToken(db, admin.id, 'admin (UNCLOUD_ADMIN_TOKEN)', adminToken);
    }
    return { generatedToken: undefined, createdAdmin: false };
  });
