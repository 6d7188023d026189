import { CreateTokenInput, CreateUserInput, TokenRef, UserRef, UserTokenRef } from '../../schemas/index.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';

export const authRouter = router({
  whoami: authedProcedure.query(({ ctx }) => ctx.services.auth.whoami(ctx.caller)),
});

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => ctx.services.users.list()),
  /** Creates a user and their first API token (shown once). */
  create: adminProcedure
    .input(CreateUserInput)
    .mutation(({ ctx, input }) => ctx.services.users.create(input)),
  /** Refuses the user's tokens at once; not yourself, nor the last enabled administrator. */
  disable: adminProcedure
    .input(UserRef)
    .mutation(({ ctx, input }) => ctx.services.users.disable(ctx.caller, input.userId)),
  enable: adminProcedure
    .input(UserRef)
    .mutation(({ ctx, input }) => ctx.services.users.enable(ctx.caller, input.userId)),
  /** Removes the user, their tokens and their memberships; not yourself, nor a project's only owner. */
  delete: adminProcedure
    .input(UserRef)
    .mutation(({ ctx, input }) => ctx.services.users.delete(ctx.caller, input.userId)),
  /**
   * Every user's API tokens with their user, the most recently used first: who is signed in with
   * which token, from where and with what client.
   */
  allTokens: adminProcedure.query(({ ctx }) => ctx.services.users.listAllTokens(ctx.caller)),
  /** Any user's API tokens. */
  tokens: adminProcedure
    .input(UserRef)
    .query(({ ctx, input }) => ctx.services.users.listTokensOf(input.userId)),
  revokeToken: adminProcedure
    .input(UserTokenRef)
    .mutation(({ ctx, input }) => ctx.services.users.revokeTokenOf(input.userId, input.id)),
});

/** The caller's own API tokens. */
export const tokensRouter = router({
  list: authedProcedure.query(({ ctx }) => ctx.services.users.listTokens(ctx.caller)),
  create: authedProcedure
    .input(CreateTokenInput)
    .mutation(({ ctx, input }) => ctx.services.users.createToken(ctx.caller, input)),
  revoke: authedProcedure
    .input(TokenRef)
    .mutation(({ ctx, input }) => ctx.services.users.revokeToken(ctx.caller, input.id)),
});
