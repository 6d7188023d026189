import type { TRPCProcedureOptions } from '@trpc/client';

/** What every list takes besides its filters. */
export interface ListInput {
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** Any `list` procedure of the client: cursor in, `{ items, nextCursor }` out. */
export interface ListProcedure<TInput extends ListInput | undefined | void, TItem> {
  query(input: TInput, opts?: TRPCProcedureOptions): Promise<{ items: TItem[]; nextCursor: string | null }>;
}

/**
 * Every item of a list, page after page, following `nextCursor` until the server says there is no
 * more: `for await (const d of paginate(client.droplets.list, { projectId })) …`. `limit` sets the
 * page size; a `cursor` in `input` starts from there.
 */
export async function* paginate<TInput extends ListInput | undefined | void, TItem>(
  list: ListProcedure<TInput, TItem>,
  // Lists whose input may be left out (projects.list) still take an object here, `{}` at least.
  input: NoInfer<Exclude<TInput, undefined | void>>,
  options: { signal?: AbortSignal | undefined } = {},
): AsyncGenerator<TItem, void, undefined> {
  let cursor = input.cursor;
  do {
    const page = await list.query(
      { ...input, cursor },
      options.signal ? { signal: options.signal } : undefined,
    );
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
