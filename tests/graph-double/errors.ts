// Facebook's error envelope and the replies the double gives, modelled on real Graph API answers.
import { randomBytes } from 'node:crypto';

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient: boolean;
    error_user_title?: string;
    error_user_msg?: string;
    fbtrace_id: string;
  };
}

export interface GraphReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function fbtraceId(): string {
  return randomBytes(14).toString('base64url').slice(0, 23);
}

interface ErrorSpec {
  status?: number;
  message: string;
  type?: string;
  code: number;
  subcode?: number;
  transient?: boolean;
  userTitle?: string;
  userMsg?: string;
  headers?: Record<string, string>;
}

export function graphError(spec: ErrorSpec): GraphReply {
  const error: GraphErrorBody['error'] = {
    message: spec.message,
    type: spec.type ?? 'OAuthException',
    code: spec.code,
    is_transient: spec.transient ?? false,
    fbtrace_id: fbtraceId(),
  };
  if (spec.subcode !== undefined) error.error_subcode = spec.subcode;
  if (spec.userTitle !== undefined) error.error_user_title = spec.userTitle;
  if (spec.userMsg !== undefined) error.error_user_msg = spec.userMsg;
  return { status: spec.status ?? 400, body: { error }, headers: spec.headers };
}

/** `(#100) ...` parameter error, the most common Marketing API refusal. */
export function invalidParameter(message: string, subcode?: number, userTitle?: string, userMsg?: string): GraphReply {
  return graphError({ message, code: 100, subcode, userTitle, userMsg });
}

export const replies = {
  missingToken: () =>
    graphError({ message: 'An access token is required to request this resource.', code: 104 }),
  tokenInvalid: () =>
    graphError({ message: 'Invalid OAuth access token - Cannot parse access token', code: 190 }),
  tokenExpired: () =>
    graphError({
      message: 'Error validating access token: Session has expired on Tuesday, 01-Jul-25 03:00:00 PDT. The current time is Wednesday, 02-Jul-25 10:00:00 PDT.',
      code: 190,
      subcode: 463,
    }),
  permissionDenied: (accountId: string) =>
    graphError({
      status: 403,
      message: `(#200) Ad account owner has NOT grant ads_management or ads_read permission (act_${accountId})`,
      type: 'OAuthException',
      code: 200,
    }),
  objectNotFound: (id: string) =>
    invalidParameter(
      `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      33,
    ),
  deprecatedVersion: (version: string) =>
    graphError({ message: `(#2635) You are calling a deprecated version of the Ads API (${version}). Please update to the latest version.`, code: 2635 }),
  unknownPath: (path: string) =>
    graphError({ status: 400, message: `Unknown path components: ${path}`, code: 2500 }),
  transient: () =>
    graphError({ status: 503, message: 'Service temporarily unavailable', code: 2, transient: true }),
  unknownError: () =>
    graphError({ status: 500, message: 'An unknown error occurred', code: 1, subcode: 99, transient: true }),
  /** Business-use-case throttling of the ads_management API (codes 80000-80014) or app-level (4, 17, 32, 613). */
  rateLimit: (accountId: string, code = 80004, regainMinutes = 0, subcode?: number): GraphReply => {
    const messages: Record<number, string> = {
      4: 'Application request limit reached',
      17: 'User request limit reached',
      32: 'Page request limit reached',
      613: 'Calls to this api have exceeded the rate limit.',
    };
    const reply = graphError({
      message: messages[code] ??
        'There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.',
      code,
      subcode: subcode ?? (code === 17 ? 2446079 : code === 613 ? 1487742 : undefined),
      transient: true,
      headers: { 'x-business-use-case-usage': businessUseCaseUsage(accountId, 100, regainMinutes) },
    });
    return reply;
  },
};

/** The `x-business-use-case-usage` header Facebook sends on ads_management calls. */
export function businessUseCaseUsage(accountId: string, percent: number, regainMinutes: number): string {
  return JSON.stringify({
    [accountId]: [
      {
        type: 'ads_management',
        call_count: percent,
        total_cputime: Math.min(100, Math.round(percent / 2)),
        total_time: Math.min(100, Math.round(percent / 2)),
        estimated_time_to_regain_access: regainMinutes,
        ads_api_access_tier: 'standard_access',
      },
    ],
  });
}

/** Facebook's real 2446885 reply, as received by a Kazakhstan account (DESIGN.md section 5). */
export function pageHasPersonalWhatsApp(): GraphReply {
  return graphError({
    message: 'Invalid parameter',
    code: 100,
    subcode: 2446885,
    userTitle: 'Требуется Страница с аккаунтом WhatsApp Business',
    userMsg: 'Номер WhatsApp, связанный с вашей Страницей, относится к личному аккаунту. Подключите аккаунт WhatsApp Business, чтобы направить трафик в WhatsApp.',
  });
}

export function pageNotLinkedToWhatsApp(): GraphReply {
  return graphError({
    message: 'Invalid parameter',
    code: 100,
    subcode: 2446886,
    userTitle: 'Connect WhatsApp to your Page',
    userMsg: 'Your Page is not connected to a WhatsApp account. Connect a WhatsApp Business account to your Page to send people to WhatsApp.',
  });
}

export function numberNotConnected(): GraphReply {
  return graphError({
    message: 'Invalid parameter',
    code: 100,
    subcode: 1487246,
    userTitle: 'WhatsApp number not connected',
    userMsg: 'The WhatsApp number you selected is not connected to this Page. Choose a number that is connected to the Page or connect this number in the Page settings.',
  });
}
