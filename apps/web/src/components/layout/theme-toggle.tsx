import { MoonIcon, SunIcon } from 'lucide-react';
import { useTheme } from '../../app/theme.ts';
import { Button } from '../ui/button.tsx';

/** Light or dark, remembered in this browser. */
export function ThemeToggle() {
  const { theme, toggle } = useTheme();
  const dark = theme === 'dark';
  return (
    <Button
      variant="ghost"
      size="icon"
      onClick={toggle}
      aria-label="Dark mode"
      aria-pressed={dark}
      title={dark ? 'Switch to light mode' : 'Switch to dark mode'}
    >
      {dark ? <SunIcon /> : <MoonIcon />}
    </Button>
  );
}
