import { z } from 'zod';
import {
  ApiToken,
  CreateTokenInput,
  CreateUserInput,
  CreatedUser,
  IssuedToken,
  TokenRef,
  User,
  Whoami,
} from '../../schemas/index.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';

export const authRouter = router({
  whoami: authedProcedure.output(Whoami).query(({ ctx }) => ctx.services.auth.whoami(ctx.caller)),
});

export const usersRouter = router({
  list: adminProcedure.output(z.array(User)).query(({ ctx }) => ctx.services.users.list()),
  /** Creates a user and their first API token (shown once). */
  create: adminProcedure
    .input(CreateUserInput)
    .output(CreatedUser)
    .mutation(({ ctx, input }) => ctx.services.users.create(input)),
});

/** The caller's own API tokens. */
export const tokensRouter = router({
  list: authedProcedure.output(z.array(ApiToken)).query(({ ctx }) => ctx.services.users.listTokens(ctx.caller)),
  create: authedProcedure
    .input(CreateTokenInput)
    .output(IssuedToken)
    .mutation(({ ctx, input }) => ctx.services.users.createToken(ctx.caller, input)),
  revoke: authedProcedure
    .input(TokenRef)
    .output(z.void())
    .mutation(({ ctx, input }) => ctx.services.users.revokeToken(ctx.caller, input.id)),
});
