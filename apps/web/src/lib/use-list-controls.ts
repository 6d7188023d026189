import { useState } from 'react';

export interface CursorPager {
  cursor: string | undefined;
  hasPrevious: boolean;
  next: (cursor: string) => void;
  previous: () => void;
}

/** Name filter and cursor paging for a list page; changing the filter returns to the first page. */
export const useListControls = (limit = 50) => {
  const [name, setNameState] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const pager: CursorPager = {
    cursor,
    hasPrevious: cursors.length > 0,
    next: (c) => setCursors((s) => [...s, c]),
    previous: () => setCursors((s) => s.slice(0, -1)),
  };
  const setName = (value: string) => {
    setNameState(value);
    setCursors([]);
  };
  const trimmed = name.trim();
  return {
    filter: { value: name, onChange: setName },
    pager,
    listInput: { limit, ...(cursor ? { cursor } : {}), ...(trimmed ? { name: trimmed } : {}) },
  };
};
