// Reads and checks JSON request bodies: 400 with what was wrong and what is expected.
import { badRequest } from './errors.ts';

export type Body = Record<string, unknown>;

export async function readJsonBody(req: Request, allowed: string[]): Promise<Body> {
  if (req.method !== 'POST') throw badRequest(`Use POST with a JSON body; ${req.method} is not supported.`);
  let body: unknown;
  try {
    const text = await req.text();
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON. Send a JSON object, e.g. {"direction_id": "<uuid>"}.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body must be a JSON object.');
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw badRequest(`Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Expected: ${allowed.join(', ')}.`);
  }
  return body as Body;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidField(body: Body, name: string): string {
  const value = body[name];
  if (value === undefined || value === null || value === '') throw badRequest(`${name} is required: the id (a UUID) of the ${name.replace(/_id$/, '').replace(/_/g, ' ')}.`);
  if (typeof value !== 'string' || !UUID.test(value)) throw badRequest(`${name} must be a UUID like "d1111111-0000-4000-8000-000000000001", got ${JSON.stringify(value)}.`);
  return value.toLowerCase();
}

export function statusField(body: Body): 'ACTIVE' | 'PAUSED' {
  const value = body.status;
  if (value === undefined || value === null) return 'PAUSED';
  if (typeof value === 'string' && ['ACTIVE', 'PAUSED'].includes(value.toUpperCase())) return value.toUpperCase() as 'ACTIVE' | 'PAUSED';
  throw badRequest(`status must be "ACTIVE" or "PAUSED" (default "PAUSED"), got ${JSON.stringify(value)}.`);
}

export function booleanField(body: Body, name: string): boolean {
  const value = body[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw badRequest(`${name} must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}

export function integerField(body: Body, name: string, min: number, max: number, what: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${name} must be a whole number from ${min} to ${max} (${what}), got ${JSON.stringify(value)}.`);
  }
  return value;
}

const KEY = /^[A-Za-z0-9._:\-]{1,200}$/;

export function idempotencyKeyField(value: unknown, name = 'idempotency_key'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw badRequest(`${name} must be 1 to 200 characters of letters, digits, ".", "_", ":" or "-", got ${JSON.stringify(value)}.`);
  }
  return value;
}
