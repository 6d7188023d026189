import {
  AppWindowIcon,
  DatabaseIcon,
  FolderKanbanIcon,
  GaugeIcon,
  HardDriveIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  ServerIcon,
  ShieldIcon,
  type LucideIcon,
} from 'lucide-react';

export interface NavItem {
  label: string;
  /** Path inside the project (`/p/:projectId/<path>`), or absolute when `global`. */
  path: string;
  icon: LucideIcon;
  global?: boolean;
}

export const navItems: NavItem[] = [
  { label: 'Overview', path: '', icon: LayoutDashboardIcon },
  { label: 'Droplets', path: 'droplets', icon: ServerIcon },
  { label: 'Volumes', path: 'volumes', icon: HardDriveIcon },
  { label: 'Apps', path: 'apps', icon: AppWindowIcon },
  { label: 'Databases', path: 'databases', icon: DatabaseIcon },
  { label: 'SSH keys', path: 'ssh-keys', icon: KeyRoundIcon },
  { label: 'Firewalls', path: 'firewalls', icon: ShieldIcon },
  { label: 'Quotas', path: 'quotas', icon: GaugeIcon },
  { label: 'Projects', path: '/projects', icon: FolderKanbanIcon, global: true },
];
