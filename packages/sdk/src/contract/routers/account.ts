import { CreateTokenInput, CreateUserInput, TokenRef } from '../../schemas/index.ts';
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
