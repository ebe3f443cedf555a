// api.js — the Harbordesk HTTP API client: bearer key from sessionStorage,
// JSON in and out, API errors ({"error":{"code","message"}}) as ApiError.

const KEY = 'harbordesk.apiKey';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY) || '';
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

// request sends one API call. body: an object (sent as JSON) or a string
// (sent as is with contentType). Resolves to the decoded JSON, text, or null.
export async function request(method, path, body, contentType, signal) {
  const headers = { Accept: 'application/json' };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let payload;
  if (typeof body === 'string') {
    payload = body;
    headers['Content-Type'] = contentType || 'text/plain';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, cache: 'no-store', signal });
  } catch (err) {
    if (err && err.name === 'AbortError') throw new ApiError(0, 'aborted', '');
    throw new ApiError(0, 'network', '');
  }
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const err = data && typeof data === 'object' && data.error ? data.error : {};
    throw new ApiError(res.status, err.code || `http_${res.status}`, err.message || '');
  }
  return data === '' ? null : data;
}

export const get = (path, signal) => request('GET', path, undefined, undefined, signal);
export const post = (path, body, contentType) => request('POST', path, body, contentType);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

// items reads a list answer ({"items":[…]}); a bare array is accepted too.
export function items(data) {
  if (Array.isArray(data)) return data;
  return data && Array.isArray(data.items) ? data.items : [];
}

// seg escapes one path segment.
export const seg = (s) => encodeURIComponent(String(s));
