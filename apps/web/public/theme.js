/* global localStorage, matchMedia, document */
// Applies the saved theme before the first paint so that dark mode does not flash. A file rather
// than an inline script, so that a Content-Security-Policy of script-src 'self' allows it.
try {
  const saved = localStorage.getItem('uncloud.theme');
  const dark = saved ? saved === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  if (dark) document.documentElement.classList.add('dark');
} catch {
  // Storage may be refused in private modes; the light theme is used then.
}
