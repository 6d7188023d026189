import { useSearchParams } from 'react-router';

export interface CursorPager {
  cursor: string | undefined;
  hasPrevious: boolean;
  next: (cursor: string) => void;
  previous: () => void;
  /** 1-based position of the page's first row, for "51–100 of 120". */
  firstRow: number;
}

/** A column the server orders the list by (the kind's `listSortKeys` in the SDK). */
export type SortKey = string;
export interface ListSort<K extends SortKey = SortKey> {
  key: K;
  order: 'asc' | 'desc';
  /** Sorts by `key`: ascending first, descending when it already sorts by it ascending. */
  toggle(key: K): void;
  /** Sorts by `key` in `order` (the phone's sort picker, where there are no column headers). */
  set(key: K, order: 'asc' | 'desc'): void;
}

export interface ListFacet {
  value: string;
  onChange: (value: string) => void;
}

/**
 * Search, filters, order and paging of a list page, kept in the address (`?q=web&state=active&
 * sort=name&order=desc&page=<cursors>`), so that a reload, the back button or a shared link shows
 * the same rows. Any change but paging returns to the first page.
 */
export const useListControls = <K extends SortKey = 'createdAt' | 'name'>(
  limit = 50,
  /** The keys this list can be sorted by; another in the address falls back to creation order. */
  sortKeys: readonly K[] = ['createdAt', 'name'] as K[],
) => {
  const [params, setParams] = useSearchParams();
  const cursors = (params.get('page') ?? '').split(',').filter(Boolean);
  const cursor = cursors.at(-1);
  const update = (changes: Record<string, string | null>, keepPage = false) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '') next.delete(key);
          else next.set(key, value);
        }
        if (!keepPage) next.delete('page');
        return next;
      },
      { replace: true },
    );
  const facet = (key: string): ListFacet => ({
    value: params.get(key) ?? '',
    onChange: (value) => update({ [key]: value }),
  });
  const pager: CursorPager = {
    cursor,
    hasPrevious: cursors.length > 0,
    next: (c) => update({ page: [...cursors, c].join(',') }, true),
    previous: () => update({ page: cursors.slice(0, -1).join(',') }, true),
    firstRow: cursors.length * limit + 1,
  };
  const asked = params.get('sort');
  const sortKey = (sortKeys as readonly string[]).includes(asked ?? '') ? (asked as K) : ('createdAt' as K);
  const order: 'asc' | 'desc' = params.get('order') === 'desc' ? 'desc' : 'asc';
  const sort: ListSort<K> = {
    key: sortKey,
    order,
    toggle: (key) =>
      update({
        sort: key === 'createdAt' ? null : key,
        order: key === sortKey && order === 'asc' ? 'desc' : null,
      }),
    set: (key, to) =>
      update({ sort: key === 'createdAt' ? null : key, order: to === 'desc' ? 'desc' : null }),
  };
  const name = facet('q');
  const state = facet('state');
  const tag = facet('tag');
  const trimmed = name.value.trim();
  return {
    filter: name,
    state,
    tag,
    sort,
    pager,
    listInput: {
      limit,
      ...(cursor ? { cursor } : {}),
      ...(trimmed ? { name: trimmed } : {}),
      ...(sortKey !== 'createdAt' ? { sort: sortKey } : {}),
      ...(order !== 'asc' ? { order } : {}),
    },
    /** The state and tag filters, for the kinds whose list takes them. */
    facetInput: {
      ...(state.value ? { state: state.value } : {}),
      ...(tag.value.trim() ? { tag: tag.value.trim() } : {}),
    },
  };
};
