/**
 * The sandbox's OAuth window, as a person's browser uses it: a button pressed is a form post of the window's token
 * and the decision back to the same URL (what the page's `<form method="post">` sends).
 *
 * @module
 */

/** Presses Authorize, Deny or Cancel on the window at `url`; resolves with the answer's status (200 page, or 303 to a redirect URL). */
export const pressWindowButton = async (url: string, decision: 'authorize' | 'deny' | 'cancel'): Promise<number> => {
  const token = new URL(url).pathname.split('/').pop() ?? '';
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, decision }).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(5_000),
  });
  await res.arrayBuffer();
  return res.status;
};
