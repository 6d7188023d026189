import { useParams } from 'react-router';

const LAST_KEY = 'uncloud.project';

/** The project in the URL (`/p/:projectId/...`); every project page sits under one. */
export const useProjectId = () => {
  const { projectId } = useParams();
  if (!projectId) throw new Error('useProjectId is used outside a project route');
  return projectId;
};

export const rememberProject = (id: string) => {
  try {
    localStorage.setItem(LAST_KEY, id);
  } catch {
    // Not remembering is harmless: the first project is opened instead.
  }
};

export const lastProject = () => {
  try {
    return localStorage.getItem(LAST_KEY);
  } catch {
    return null;
  }
};
