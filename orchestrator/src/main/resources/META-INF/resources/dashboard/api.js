import {currentSession} from './auth.js';

/** A refusal of the API: its status, stable code and the sentence naming what is wrong (or the quota). */
export class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.status = status;
    this.code = body?.code;
    this.quota = body?.quota;
  }
}

function describe(status, body) {
  if (Array.isArray(body?.detail)) {
    return body.detail.map(d => `${(d.loc || []).join('.')}: ${d.msg}`).join('; ');
  }
  if (typeof body?.detail === 'string') return body.detail;
  return `the platform answered ${status}`;
}

let onSignedOut = () => {};
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

export function authHeaders() {
  const session = currentSession();
  if (!session) {
    onSignedOut();
    throw new ApiError(401, {detail: 'Your session has ended. Please sign in again.'});
  }
  return {Authorization: `Bearer ${session.token}`};
}

export async function api(path, {method = 'GET', body, accept = 'application/json'} = {}) {
  const headers = {...authHeaders(), Accept: accept};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  if (response.status === 401) onSignedOut();
  if (!response.ok) {
    throw new ApiError(response.status, await response.json().catch(() => null));
  }
  if (response.status === 204) return null;
  if (accept !== 'application/json') return response.text();
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}
