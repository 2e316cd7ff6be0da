// Runs a function body: CORS preflight, AppError -> its reply, database unreachable -> 503, anything else -> a logged 500.
import { handleCors } from './cors.ts';
import { AppError, databaseUnavailable, errorResponse } from './errors.ts';
import { isConnectionError } from './db.ts';
import { log } from './log.ts';

export async function respond(req: Request, name: string, run: () => Promise<Response>): Promise<Response> {
  const preflight = handleCors(req);
  if (preflight) return preflight;
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error);
    if (isConnectionError(error)) {
      // Postgres restarting or unreachable: a clean, retryable answer rather than a 500.
      log('warn', 'database unavailable', { function: name, error: String(error) });
      return errorResponse(databaseUnavailable());
    }
    log('error', 'unexpected failure', { function: name, error: String(error), stack: error instanceof Error ? error.stack : undefined });
    return errorResponse(new AppError(500, 'internal_error', 'The request failed unexpectedly on our side. Try again; if it persists, contact support.'));
  }
}
