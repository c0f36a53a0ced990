/**
 * The OAuth window of `mx_bank_oauth` members: opening it (no Basic auth, as in a browser) authorizes the member
 * and starts its aggregation.
 *
 * @module
 */
import type { Route } from '../router.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The OAuth route.
 *
 * @example
 * ```ts
 * import { Router } from '../router.js';
 * import { OAUTH_ROUTES } from './oauth.js';
 *
 * const router = new Router([...OAUTH_ROUTES]);
 * ```
 */
export const OAUTH_ROUTES: ReadonlyArray<Route> = [
  {
    method: 'GET',
    path: '/oauth/authorize/:user_guid/:member_guid',
    operationId: 'sandboxOauthAuthorize',
    produces: 'html',
    body: 'none',
    public: true,
    handle: (ctx, req) => {
      const member = ctx.state.member(req.params.user_guid ?? '', req.params.member_guid ?? '');
      if (member.isOauth && !member.oauthAuthorized) {
        member.oauthAuthorized = true;
        if (!member.job?.running) ctx.jobs.start(member, 'aggregate');
      }
      const name = escapeHtml(member.institution.name);
      return {
        type: 'html',
        status: 200,
        html: `<!doctype html><title>${name}</title><p>${name} authorized this connection. You can close this window.</p>`,
      };
    },
  },
];
