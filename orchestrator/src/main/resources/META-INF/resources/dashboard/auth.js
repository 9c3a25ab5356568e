// Sign-in through the configured OpenID Connect provider: the authorization-code flow with PKCE (S256). The access
// token lives in this tab's sessionStorage only.
const SESSION = 'tessera.session';
const PENDING = 'tessera.pkce';

function base64url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function redirectUri() {
  return `${location.origin}/dashboard/`;
}

export function currentSession() {
  const stored = sessionStorage.getItem(SESSION);
  if (!stored) return null;
  const session = JSON.parse(stored);
  if (Date.now() > session.expiresAt - 30_000) {
    sessionStorage.removeItem(SESSION);
    return null;
  }
  return session;
}

export async function signIn(config) {
  const verifier = randomText(48);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = randomText(16);
  sessionStorage.setItem(PENDING, JSON.stringify({verifier, state, hash: location.hash}));
  const url = new URL(config.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    nonce: randomText(16),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(config.audience ? {audience: config.audience} : {}),
  }).toString();
  location.assign(url.toString());
}

/** Completes a sign-in when the provider sent the browser back with a code; true when it did. */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  const hash = pending?.hash || '';
  history.replaceState(null, '', `/dashboard/${hash}`);
  if (params.has('error')) {
    throw new Error(`Sign-in failed: ${params.get('error_description') || params.get('error')}`);
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('Sign-in failed: the answer does not belong to this sign-in (state differs). Please sign in again.');
  }
  const response = await fetch(config.token_endpoint, {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: config.client_id,
      code_verifier: pending.verifier,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new Error(`Sign-in failed: ${body.error_description || body.error || response.status}`);
  }
  sessionStorage.setItem(SESSION, JSON.stringify({
    token: body.access_token,
    expiresAt: Date.now() + 1000 * (body.expires_in || 3600),
  }));
  return true;
}

export function signOut() {
  sessionStorage.removeItem(SESSION);
}
