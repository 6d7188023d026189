export * from './app.ts';
export * from './cloud-init.ts';
export * from './database.ts';
export * from './droplet.ts';
export * from './firewall.ts';
export * from './meta.ts';
export * from './project.ts';
export * from './volume.ts';
