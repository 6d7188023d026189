import { useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { session } from '../lib/session.ts';

export const useToken = () => useSyncExternalStore(session.subscribe, session.getToken, () => null);

/** Signs out: forgets the token and everything fetched with it. */
export const useSignOut = () => {
  const queryClient = useQueryClient();
  return () => {
    session.clear();
    queryClient.clear();
  };
};
