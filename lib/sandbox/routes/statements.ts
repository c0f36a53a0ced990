/**
 * Statements: list and read (JSON), and the PDF download (streamed, `application/vnd.mx.api.v1+pdf`). Their paths
 * take MX's guids in both versions (v20250224 kept `user_guid` / `member_guid` here).
 *
 * @module
 */
import { json, type RouteRequest, type SandboxContext } from '../context.js';
import { errors } from '../http-error.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import { statementJson } from '../serialize.js';
import type { StatementSource } from '../statements/index.js';
import { memberByGuids } from './refs.js';

const statementOf = async (ctx: SandboxContext, req: RouteRequest) => {
  const member = memberByGuids(ctx, req);
  const guid = req.params.statement_guid ?? '';
  const source: StatementSource | undefined = await ctx.statements.find(member, guid);
  if (!source) throw errors.notFound(`statement ${guid} not found for member ${member.guid}`);
  return { member, source };
};

/**
 * The statement routes (the `.pdf` one first, so it wins over the JSON read).
 *
 * @example
 * ```ts
 * import { Router } from '../router.js';
 * import { STATEMENT_ROUTES } from './statements.js';
 *
 * const router = new Router([...STATEMENT_ROUTES]);
 * ```
 */
export const STATEMENT_ROUTES: ReadonlyArray<Route> = [
  {
    method: 'GET',
    path: '/users/:user_guid/members/:member_guid/statements/:statement_guid.pdf',
    operationId: 'downloadStatementPDF',
    produces: 'pdf',
    body: 'none',
    handle: async (ctx, req) => ({ type: 'pdf', source: (await statementOf(ctx, req)).source }),
  },
  {
    method: 'GET',
    path: '/users/:user_guid/members/:member_guid/statements/:statement_guid',
    operationId: 'readStatementByMember',
    produces: 'json',
    body: 'none',
    handle: async (ctx, req) => {
      const { member, source } = await statementOf(ctx, req);
      return json(200, { statement: statementJson(source, member) });
    },
  },
  {
    method: 'GET',
    path: '/users/:user_guid/members/:member_guid/statements',
    operationId: 'listStatementsByMember',
    produces: 'json',
    body: 'none',
    handle: async (ctx, req) => {
      const member = memberByGuids(ctx, req);
      const page = paginate(await ctx.statements.list(member), req.query, 1000);
      return json(200, { statements: page.items.map((s) => statementJson(s, member)), pagination: page.pagination });
    },
  },
];
