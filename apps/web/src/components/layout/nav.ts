import { type NavGroup as NavGroupName, resourceKinds } from '@uncloud/sdk';
import {
  FolderKanbanIcon,
  GaugeIcon,
  HistoryIcon,
  LayoutDashboardIcon,
  PackageIcon,
  SettingsIcon,
  type LucideIcon,
} from 'lucide-react';
import { resourceKindViews } from '../../lib/resource-kinds.ts';

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

const kindItems = (group: NavGroupName): NavItem[] =>
  resourceKindViews
    .filter((view) => resourceKinds[view.kind].navGroup === group)
    .map(({ title, path, icon }) => ({ label: title, path, icon }));

/** Each registry group's title; a group added to the registry without one is a compile error. */
const kindGroupTitles: Record<NavGroupName, string> = {
  compute: 'Compute',
  storage: 'Storage',
  networking: 'Networking & access',
};

/** The sidebar, grouped the way cloud consoles group their resources; kinds come from the registry. */
export const navGroups: NavGroup[] = [
  { items: [{ label: 'Overview', path: '', icon: LayoutDashboardIcon }] },
  ...Object.entries(kindGroupTitles).map(([group, title]) => ({
    title,
    items: kindItems(group as NavGroupName),
  })),
  {
    title: 'Project',
    items: [
      { label: 'Registry', path: 'registry', icon: PackageIcon },
      { label: 'Quotas', path: 'quotas', icon: GaugeIcon },
      { label: 'Activity', path: 'activity', icon: HistoryIcon },
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
