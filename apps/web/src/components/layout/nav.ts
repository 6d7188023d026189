import {
  AppWindowIcon,
  DatabaseIcon,
  FolderKanbanIcon,
  GaugeIcon,
  HardDriveIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  ServerIcon,
  SettingsIcon,
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

export interface NavGroup {
  /** Shown above the group; the first group has none. */
  title?: string;
  items: NavItem[];
}

/** The sidebar, grouped the way cloud consoles group their resources. */
export const navGroups: NavGroup[] = [
  { items: [{ label: 'Overview', path: '', icon: LayoutDashboardIcon }] },
  {
    title: 'Compute',
    items: [
      { label: 'Droplets', path: 'droplets', icon: ServerIcon },
      { label: 'Apps', path: 'apps', icon: AppWindowIcon },
    ],
  },
  {
    title: 'Storage',
    items: [
      { label: 'Volumes', path: 'volumes', icon: HardDriveIcon },
      { label: 'Databases', path: 'databases', icon: DatabaseIcon },
    ],
  },
  {
    title: 'Networking & access',
    items: [
      { label: 'Firewalls', path: 'firewalls', icon: ShieldIcon },
      { label: 'SSH keys', path: 'ssh-keys', icon: KeyRoundIcon },
    ],
  },
  {
    title: 'Project',
    items: [
      { label: 'Quotas', path: 'quotas', icon: GaugeIcon },
      { label: 'Settings', path: 'settings', icon: SettingsIcon },
    ],
  },
  {
    title: 'Account',
    items: [{ label: 'Projects', path: '/projects', icon: FolderKanbanIcon, global: true }],
  },
];

/** Where an item leads; project items need a project, and have nowhere to go without one. */
export const navTarget = (item: NavItem, projectId: string | undefined) => {
  if (item.global) return item.path;
  if (!projectId) return null;
  return `/p/${projectId}${item.path ? `/${item.path}` : ''}`;
};
