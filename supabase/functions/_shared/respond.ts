// Runs a function body: CORS preflight, AppError -> its reply, anything else -> a logged 500.
import { handleCors } from './cors.ts';
import { AppError, errorResponse, jsonResponse } from './errors.ts';
import { log } from './log.ts';

export async function respond(req: Request, name: string, run: () => Promise<Response>): Promise<Response> {
  const preflight = handleCors(req);
  if (preflight) return preflight;
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error);
    log('error', 'unexpected failure', { function: name, error: String(error), stack: error instanceof Error ? error.stack : undefined });
    return jsonResponse(500, { error: { code: 'internal_error', message: 'The launch failed unexpectedly on our side. Try again; if it persists, contact support.' } });
  }
}
