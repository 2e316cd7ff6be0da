// The exact POST /act_{id}/adsets request for a direction, without the token.
import type { GraphSettings } from './config.ts';
import type { GraphPost } from './graph-client.ts';
import { buildTargeting } from './targeting.ts';

export interface DirectionRow {
  id: string;
  user_account_id: string;
  name: string;
  objective: string;
  daily_budget_cents: number | string;
  is_active: boolean;
  fb_campaign_id: string | null;
  default_settings: unknown;
  allow_page_number_fallback: boolean;
}

export type NumberSource = 'direction' | 'default' | 'legacy' | 'page_default';

export interface ResolvedNumber {
  phone_number: string | null;
  whatsapp_phone_number_id: string | null;
  source: NumberSource;
}

export interface FacebookConnection {
  ad_account_id: string;
  page_id: string;
}

export interface AdSetPlan {
  direction: DirectionRow;
  connection: FacebookConnection;
  number: ResolvedNumber;
  status: 'ACTIVE' | 'PAUSED';
  dailyBudgetCents: number;
  defaultCountry: string;
}

function launchDate(): string {
  return new Date().toISOString().slice(0, 10);
}

/** `withNumber: false` builds the Page-fallback variant: Facebook then uses the Page's own number. */
export function buildAdSetRequest(plan: AdSetPlan, settings: GraphSettings, withNumber = true): GraphPost {
  const number = withNumber ? plan.number.phone_number : null;
  const promotedObject: Record<string, string> = { page_id: plan.connection.page_id };
  if (number) promotedObject.whatsapp_phone_number = number;
  return {
    url: `${settings.baseUrl}/${settings.version}/act_${plan.connection.ad_account_id}/adsets`,
    fields: {
      name: `${plan.direction.name} · WhatsApp ${number ?? 'Page number'} · ${launchDate()}`,
      campaign_id: plan.direction.fb_campaign_id,
      daily_budget: String(plan.dailyBudgetCents),
      billing_event: 'IMPRESSIONS',
      optimization_goal: 'CONVERSATIONS',
      destination_type: 'WHATSAPP',
      bid_strategy: 'LOWEST_COST_WITHOUT_CAP',
      targeting: buildTargeting(plan.direction.default_settings, plan.defaultCountry),
      status: plan.status,
      promoted_object: promotedObject,
    },
  };
}
