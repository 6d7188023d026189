import { useEffect, useState } from 'react';

const KEY = 'uncloud.theme';
export type Theme = 'light' | 'dark';

const current = (): Theme => (document.documentElement.classList.contains('dark') ? 'dark' : 'light');

/** Light or dark, remembered across visits (index.html applies it before the first paint). */
export const useTheme = () => {
  const [theme, setTheme] = useState<Theme>(current);
  useEffect(() => {
    document.documentElement.classList.toggle('dark', theme === 'dark');
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // Private modes may refuse storage; the theme then lasts for this page only.
    }
  }, [theme]);
  return { theme, toggle: () => setTheme((t) => (t === 'dark' ? 'light' : 'dark')) };
};
