// Intent rows shaped as the sync engine will pass them.
export const projectId = 'proj_0123456789abcdefghij';
export const ids = {
  droplet: 'dpl_0123456789abcdefghij',
  droplet2: 'dpl_zzzzzzzzzzzzzzzzzzzz',
  volume: 'vol_0123456789abcdefghij',
  volume2: 'vol_aaaaaaaaaaaaaaaaaaaa',
  app: 'app_0123456789abcdefghij',
  database: 'db_0123456789abcdefghij',
  firewall: 'fw_0123456789abcdefghij',
};
