// The rules Facebook applies to POST /act_{id}/adsets (DESIGN.md section 5), one check per field.
import {
  graphError, invalidParameter, numberNotConnected, pageHasPersonalWhatsApp, pageNotLinkedToWhatsApp, replies,
  type GraphReply,
} from './errors.ts';
import { digitsOf, type CampaignConfig, type GraphWorld } from './model.ts';

const BILLING_EVENTS = [
  'APP_INSTALLS', 'CLICKS', 'IMPRESSIONS', 'LINK_CLICKS', 'NONE', 'OFFER_CLAIMS', 'PAGE_LIKES',
  'POST_ENGAGEMENT', 'THRUPLAY', 'PURCHASE', 'LISTING_INTERACTION',
];
const OPTIMIZATION_GOALS = [
  'NONE', 'APP_INSTALLS', 'AD_RECALL_LIFT', 'ENGAGED_USERS', 'EVENT_RESPONSES', 'IMPRESSIONS', 'LEAD_GENERATION',
  'QUALITY_LEAD', 'LINK_CLICKS', 'OFFSITE_CONVERSIONS', 'PAGE_LIKES', 'POST_ENGAGEMENT', 'QUALITY_CALL', 'REACH',
  'LANDING_PAGE_VIEWS', 'VISIT_INSTAGRAM_PROFILE', 'VALUE', 'THRUPLAY', 'DERIVED_EVENTS', 'CONVERSATIONS',
  'MESSAGING_PURCHASE_CONVERSION', 'MESSAGING_APPOINTMENT_CONVERSION',
];
const DESTINATION_TYPES = [
  'UNDEFINED', 'WEBSITE', 'APP', 'MESSENGER', 'APPLINKS_AUTOMATIC', 'WHATSAPP', 'INSTAGRAM_DIRECT', 'FACEBOOK',
  'MESSAGING_MESSENGER_WHATSAPP', 'MESSAGING_INSTAGRAM_DIRECT_MESSENGER', 'MESSAGING_INSTAGRAM_DIRECT_WHATSAPP',
  'MESSAGING_INSTAGRAM_DIRECT_MESSENGER_WHATSAPP', 'ON_AD', 'ON_POST', 'ON_VIDEO', 'ON_PAGE', 'INSTAGRAM_PROFILE',
  'SHOP_AUTOMATIC',
];
const MESSAGING_DESTINATIONS = DESTINATION_TYPES.filter((d) =>
  d === 'WHATSAPP' || d === 'MESSENGER' || d === 'INSTAGRAM_DIRECT' || d.startsWith('MESSAGING_')
);
const BID_STRATEGIES = ['LOWEST_COST_WITHOUT_CAP', 'LOWEST_COST_WITH_BID_CAP', 'COST_CAP', 'LOWEST_COST_WITH_MIN_ROAS'];
const STATUSES = ['ACTIVE', 'PAUSED'];
/** Objectives under which a click-to-WhatsApp ad set (CONVERSATIONS to WHATSAPP) can run. */
const WHATSAPP_OBJECTIVES = ['OUTCOME_ENGAGEMENT', 'OUTCOME_LEADS', 'OUTCOME_SALES'];
const LOCATION_KEYS = ['countries', 'regions', 'cities', 'zips', 'custom_locations', 'geo_markets', 'country_groups', 'places', 'neighborhoods', 'subcities', 'electoral_districts'];

export type AdSetCheck = { ok: true; fields: Record<string, unknown> } | { ok: false; reply: GraphReply };

const fail = (reply: GraphReply): AdSetCheck => ({ ok: false, reply });

/** Graph takes object fields as JSON strings (form or JSON body) or, in JSON bodies, as objects. */
export function parseObjectField(value: unknown): { ok: true; value: Record<string, unknown> } | { ok: false } {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return { ok: true, value: value as Record<string, unknown> };
  }
  if (typeof value !== 'string') return { ok: false };
  try {
    const parsed = JSON.parse(value);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return { ok: true, value: parsed };
  } catch { /* falls through to the refusal */ }
  return { ok: false };
}

const asText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

export function versionNumber(version: string): number | undefined {
  const match = /^v(\d+)\.(\d+)$/.exec(version);
  return match ? Number(match[1]) + Number(match[2]) / 10 : undefined;
}

function checkTargeting(raw: unknown, version: number): AdSetCheck | Record<string, unknown> {
  if (raw === undefined || raw === '') {
    return fail(invalidParameter('(#100) The parameter targeting is required'));
  }
  const parsed = parseObjectField(raw);
  if (!parsed.ok) {
    return fail(invalidParameter('(#100) Param targeting must be a JSON-encoded object', 1487301, 'Invalid targeting spec', 'The targeting specification could not be read.'));
  }
  const targeting = parsed.value;
  const geo = parseObjectField(targeting.geo_locations);
  const hasLocation = geo.ok && LOCATION_KEYS.some((key) => {
    const list = geo.value[key];
    return Array.isArray(list) && list.length > 0;
  });
  if (!hasLocation) {
    return fail(invalidParameter('Invalid parameter', 1487756, 'Location required', 'Your audience must include at least one location. Add a country, region, city or other location to geo_locations.'));
  }
  for (const key of ['age_min', 'age_max'] as const) {
    const age = targeting[key];
    if (age !== undefined && (!Number.isInteger(Number(age)) || Number(age) < 13 || Number(age) > 65)) {
      return fail(invalidParameter(`(#100) Param targeting[${key}] must be an integer between 13 and 65`, 1870086));
    }
  }
  if (targeting.age_min !== undefined && targeting.age_max !== undefined && Number(targeting.age_min) > Number(targeting.age_max)) {
    return fail(invalidParameter('Invalid parameter', 1870087, 'Invalid age range', 'The minimum age must be lower than or equal to the maximum age.'));
  }
  if (version >= 23) {
    const automation = targeting.targeting_automation;
    const flag = automation && typeof automation === 'object' ? (automation as Record<string, unknown>).advantage_audience : undefined;
    if (flag !== 0 && flag !== 1) {
      return fail(invalidParameter(
        'Invalid parameter',
        1870227,
        'Advantage audience flag required',
        'To create your ad set, you need to enable or disable the Advantage audience feature. Set targeting_automation.advantage_audience to 1 or 0.',
      ));
    }
  }
  return targeting;
}

function checkBudget(params: Record<string, unknown>, campaign: CampaignConfig, minBudget: number): AdSetCheck | undefined {
  const hasDaily = params.daily_budget !== undefined && params.daily_budget !== '';
  const hasLifetime = params.lifetime_budget !== undefined && params.lifetime_budget !== '';
  if (campaign.budget_mode === 'campaign') {
    if (hasDaily || hasLifetime) {
      return fail(invalidParameter('Invalid parameter', 1885621, 'Budget is set on the campaign', 'You cannot set an ad set budget because this campaign uses Advantage campaign budget. Remove the ad set budget or turn off campaign budget.'));
    }
    return undefined;
  }
  if (!hasDaily && !hasLifetime) {
    return fail(invalidParameter('Invalid parameter', 1885272, 'Budget required', 'Set a daily or lifetime budget for this ad set.'));
  }
  if (hasDaily && hasLifetime) {
    return fail(invalidParameter('Invalid parameter', 1885273, 'Only one budget allowed', 'An ad set can have a daily budget or a lifetime budget, not both.'));
  }
  const raw = asText(hasDaily ? params.daily_budget : params.lifetime_budget) ?? '';
  if (!/^\d+$/.test(raw)) {
    return fail(invalidParameter(`(#100) Param ${hasDaily ? 'daily_budget' : 'lifetime_budget'} must be an integer in the currency's minor units`));
  }
  if (hasDaily && Number(raw) < minBudget) {
    return fail(invalidParameter('Invalid parameter', 1885272, 'Budget too low', `Your daily budget must be at least ${minBudget} (in the currency's minor units).`));
  }
  if (hasLifetime && params.end_time === undefined) {
    return fail(invalidParameter('Invalid parameter', 1885181, 'End time required', 'An ad set with a lifetime budget needs an end time.'));
  }
  return undefined;
}

/** Checks an ad set creation after the token and the ad account were accepted. */
export function checkAdSet(world: GraphWorld, version: string, adAccountId: string, params: Record<string, unknown>): AdSetCheck {
  const versionValue = versionNumber(version) ?? 0;
  const account = world.adAccounts.get(adAccountId)!;

  const name = asText(params.name);
  if (!name || name.trim() === '') return fail(invalidParameter('(#100) The parameter name is required'));

  const campaignId = asText(params.campaign_id);
  if (!campaignId) return fail(invalidParameter('(#100) The parameter campaign_id is required'));
  if (!/^\d+$/.test(campaignId)) {
    return fail(invalidParameter(`(#100) Param campaign_id must be a valid campaign ID, got "${campaignId}"`));
  }
  const campaign = world.campaigns.get(campaignId);
  if (!campaign || campaign.ad_account_id !== adAccountId) {
    return fail(invalidParameter('Invalid parameter', 1885010, 'Campaign not found', `The campaign ${campaignId} does not exist in this ad account.`));
  }

  const billingEvent = asText(params.billing_event);
  if (!billingEvent) return fail(invalidParameter('(#100) The parameter billing_event is required'));
  if (!BILLING_EVENTS.includes(billingEvent)) {
    return fail(invalidParameter(`(#100) Param billing_event must be one of {${BILLING_EVENTS.join(', ')}}`));
  }

  const goal = asText(params.optimization_goal);
  if (goal !== undefined && !OPTIMIZATION_GOALS.includes(goal)) {
    return fail(invalidParameter(`(#100) Param optimization_goal must be one of {${OPTIMIZATION_GOALS.join(', ')}}`));
  }
  if (goal === 'CONVERSATIONS' && billingEvent !== 'IMPRESSIONS') {
    return fail(invalidParameter('Invalid parameter', 2490487, 'Billing event not available', 'The billing event you selected is not available for the optimization goal CONVERSATIONS. Use IMPRESSIONS.'));
  }

  const destination = asText(params.destination_type);
  if (destination !== undefined && !DESTINATION_TYPES.includes(destination)) {
    return fail(invalidParameter(`(#100) Param destination_type must be one of {${DESTINATION_TYPES.join(', ')}}`));
  }
  if (goal === 'CONVERSATIONS' && (!destination || !MESSAGING_DESTINATIONS.includes(destination))) {
    return fail(invalidParameter('Invalid parameter', 2490413, 'Destination required', 'Choose where people start conversations with you (for example WHATSAPP) when optimizing for conversations.'));
  }

  const bidStrategy = asText(params.bid_strategy);
  if (bidStrategy !== undefined && !BID_STRATEGIES.includes(bidStrategy)) {
    return fail(invalidParameter(`(#100) Param bid_strategy must be one of {${BID_STRATEGIES.join(', ')}}`));
  }
  if ((bidStrategy === 'LOWEST_COST_WITH_BID_CAP' || bidStrategy === 'COST_CAP') && params.bid_amount === undefined) {
    return fail(invalidParameter('Invalid parameter', 1815857, 'Bid amount required', `A bid amount is required for the bid strategy ${bidStrategy}.`));
  }

  const budgetRefusal = checkBudget(params, campaign, account.min_daily_budget ?? 100);
  if (budgetRefusal) return budgetRefusal;

  const targeting = checkTargeting(params.targeting, versionValue);
  if ('ok' in targeting && targeting.ok === false) return targeting as AdSetCheck;

  const status = asText(params.status);
  if (status !== undefined && !STATUSES.includes(status)) {
    return fail(invalidParameter(`(#100) Param status must be one of {${STATUSES.join(', ')}}`));
  }
  const startTime = asText(params.start_time);
  if (startTime !== undefined && !/^\d+$/.test(startTime) && Number.isNaN(Date.parse(startTime))) {
    return fail(invalidParameter('(#100) Param start_time must be a valid ISO 8601 date-time or a UNIX timestamp'));
  }

  const promoted = checkPromotedObject(world, params, goal, destination, campaign);
  if (!promoted.ok) return promoted;

  return {
    ok: true,
    fields: { ...params, targeting, promoted_object: promoted.fields, status: status ?? 'ACTIVE' },
  };
}

function checkPromotedObject(
  world: GraphWorld,
  params: Record<string, unknown>,
  goal: string | undefined,
  destination: string | undefined,
  campaign: CampaignConfig,
): AdSetCheck {
  const toWhatsApp = destination === 'WHATSAPP';
  if (params.promoted_object === undefined) {
    if (toWhatsApp) {
      return fail(invalidParameter('Invalid parameter', 1885014, 'Promoted object required', 'Select the Facebook Page that people will message on WhatsApp (promoted_object.page_id).'));
    }
    return { ok: true, fields: {} };
  }
  const parsed = parseObjectField(params.promoted_object);
  if (!parsed.ok) return fail(invalidParameter('(#100) Param promoted_object must be a JSON-encoded object'));
  const promoted = parsed.value;
  const pageId = asText(promoted.page_id);
  if (!pageId) {
    return fail(invalidParameter('Invalid parameter', 1885014, 'Page required', 'promoted_object must contain page_id.'));
  }
  const number = promoted.whatsapp_phone_number;
  if (number !== undefined && promoted.whats_app_business_phone_number_id !== undefined) {
    return fail(invalidParameter('(#100) Param promoted_object: whatsapp_phone_number and whats_app_business_phone_number_id cannot be used together'));
  }
  if (number !== undefined && (typeof number !== 'string' || !/^\+?[1-9]\d{7,14}$/.test(number))) {
    return fail(invalidParameter('(#100) Param promoted_object[whatsapp_phone_number] must be a phone number in international format, e.g. +77074094375'));
  }
  if (toWhatsApp && goal === 'CONVERSATIONS' && !WHATSAPP_OBJECTIVES.includes(campaign.objective)) {
    return fail(invalidParameter('Invalid parameter', 2490408, 'Optimization goal not available', `The campaign objective ${campaign.objective} does not support conversations on WhatsApp. Use a campaign with the Engagement, Leads or Sales objective.`));
  }
  const page = world.pages.get(pageId);
  if (!page) {
    return fail(invalidParameter('Invalid parameter', 1487390, 'Page not found', `The Page ${pageId} does not exist or you do not have permission to advertise for it.`));
  }
  if (toWhatsApp) {
    if (page.whatsapp === 'none') return fail(pageNotLinkedToWhatsApp());
    if (page.whatsapp === 'personal') return fail(pageHasPersonalWhatsApp());
    if (typeof number === 'string') {
      const connected = (page.numbers ?? []).map(digitsOf);
      if (!connected.includes(digitsOf(number))) return fail(numberNotConnected());
    }
  }
  return { ok: true, fields: promoted };
}

export { graphError, replies };
