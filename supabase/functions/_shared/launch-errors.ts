// Turns a failed Graph call into the product's reply: a stable code, an English sentence naming the
// number and the Page, and Facebook's own words (in the user's Facebook language) beside it.
import type { AdSetPlan } from './adset-request.ts';
import { AppError, type FacebookErrorDetails } from './errors.ts';
import type { GraphFailure } from './graph-client.ts';

function numberText(phone: string | null): string {
  return phone ? `the WhatsApp number ${phone}` : "the Page's own WhatsApp number";
}

export function launchFailureToError(failure: GraphFailure, plan: AdSetPlan, launchId?: string): AppError {
  const page = `Page ${plan.connection.page_id}`;
  const phone = plan.number.phone_number;
  const fb: FacebookErrorDetails = failure.details;
  const extra = { facebook: fb.code === null && !fb.fbtrace_id ? undefined : fb, launchId };
  const retryAfterSeconds = failure.retryAfterMs !== undefined ? Math.ceil(failure.retryAfterMs / 1000) : undefined;
  const facebookSays = fb.user_msg ?? fb.message ?? 'no details';
  switch (failure.kind) {
    case 'token_invalid':
      return new AppError(401, 'facebook_token_invalid',
        'Facebook no longer accepts this account\'s connection (the access token expired or was revoked). Reconnect Facebook, then launch again.', extra);
    case 'number_not_connected':
      return new AppError(422, 'whatsapp_number_rejected',
        `Facebook refused ${numberText(phone)} for ${page}: the number is not connected to this Page. ` +
        'Connect the number to the Page (Meta Business Suite, Page settings, WhatsApp) or bind the direction to a number that is connected.', extra);
    case 'page_personal_whatsapp':
      return new AppError(422, 'whatsapp_number_rejected',
        `Facebook refused the launch for ${page} with ${numberText(phone)}: the WhatsApp linked to the Page is a personal account. ` +
        'Link a WhatsApp Business account to the Page, then launch again.', extra);
    case 'page_without_whatsapp':
      return new AppError(422, 'whatsapp_number_rejected',
        `Facebook refused the launch: ${page} is not linked to WhatsApp, so it cannot send people to ${numberText(phone)}. ` +
        'Link the Page to the WhatsApp Business account that owns the number, then launch again.', extra);
    case 'invalid_parameter':
      return new AppError(422, 'facebook_invalid_parameter', `Facebook refused the ad set for direction "${plan.direction.name}": ${facebookSays}`, extra);
    case 'permission_denied':
      return new AppError(403, 'facebook_permission_denied',
        `Facebook denied access to ad account act_${plan.connection.ad_account_id} or ${page}. Reconnect Facebook with a user who may manage ads for both.`, extra);
    case 'rate_limited':
      return new AppError(429, 'facebook_rate_limited',
        `Facebook is limiting calls for ad account act_${plan.connection.ad_account_id}. Try again in ${retryAfterSeconds ?? 60} seconds.`,
        { ...extra, retryAfterSeconds: retryAfterSeconds ?? 60 });
    case 'transient':
    case 'network':
      return new AppError(503, 'facebook_unavailable',
        'Facebook is temporarily unavailable and did not create the ad set. Try again in a minute.',
        { ...extra, retryAfterSeconds: retryAfterSeconds ?? 60 });
    case 'timeout':
      return new AppError(504, 'facebook_timeout',
        'Facebook did not answer in time. The ad set may still have been created: check Ads Manager before launching again.', extra);
    default:
      return new AppError(502, 'facebook_error', `Facebook could not create the ad set: ${facebookSays}`, extra);
  }
}
