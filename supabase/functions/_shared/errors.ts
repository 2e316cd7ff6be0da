// `{error: {code, message}}` replies with real status codes, and the error type the code throws.
import { corsHeaders } from './cors.ts';

export interface FacebookErrorDetails {
  code: number | null;
  subcode: number | null;
  message: string | null;
  user_title: string | null;
  user_msg: string | null;
  fbtrace_id: string | null;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { facebook?: FacebookErrorDetails; retryAfterSeconds?: number; launchId?: string } = {},
  ) {
    super(message);
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, 'content-type': 'application/json', ...headers },
  });
}

export function errorBody(error: AppError): Record<string, unknown> {
  const body: Record<string, unknown> = { error: { code: error.code, message: error.message } };
  if (error.extra.facebook) (body.error as Record<string, unknown>).facebook = error.extra.facebook;
  if (error.extra.launchId) body.launch_id = error.extra.launchId;
  return body;
}

export function errorResponse(error: AppError): Response {
  const headers: Record<string, string> = {};
  if (error.extra.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(error.extra.retryAfterSeconds)));
  return jsonResponse(error.status, errorBody(error), headers);
}

export const badRequest = (message: string) => new AppError(400, 'invalid_request', message);

/** 503 with Retry-After: Postgres is restarting or unreachable. Nothing was launched unless the message says otherwise. */
export const databaseUnavailable = (message = 'The database is unavailable for a moment. Nothing was launched: try again in a minute.') =>
  new AppError(503, 'database_unavailable', message, { retryAfterSeconds: 30 });
