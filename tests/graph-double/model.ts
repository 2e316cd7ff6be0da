// What the double knows about the Facebook world: tokens, ad accounts, campaigns, Pages, WABAs.
// Configuration is additive so independent test suites can share one double, each with its own ids.

export type CampaignObjective =
  | 'OUTCOME_ENGAGEMENT' | 'OUTCOME_LEADS' | 'OUTCOME_SALES'
  | 'OUTCOME_TRAFFIC' | 'OUTCOME_AWARENESS' | 'OUTCOME_APP_PROMOTION';

/** `business`: a WhatsApp Business account is linked; `personal`: a personal WhatsApp number; `none`: nothing linked. */
export type PageWhatsAppKind = 'business' | 'personal' | 'none';

export interface TokenConfig {
  token: string;
  expired?: boolean;
  /** Ad accounts (without `act_`) the token may manage; absent = every known account. */
  ad_account_ids?: string[];
}

export interface AdAccountConfig {
  id: string;
  currency?: string;
  /** Facebook's per-currency minimum daily budget, in minor units. */
  min_daily_budget?: number;
  /** Business-use-case throttling: more than max_calls in window_ms answers 80004. */
  rate_limit?: { max_calls: number; window_ms: number; regain_minutes?: number };
  /** Reply latency for this account's calls, in ms. */
  latency_ms?: number;
}

export interface CampaignConfig {
  id: string;
  ad_account_id: string;
  objective: CampaignObjective;
  /** `campaign`: Advantage campaign budget (CBO), ad sets may not carry their own budget. */
  budget_mode?: 'adset' | 'campaign';
}

export interface PageConfig {
  id: string;
  name?: string;
  whatsapp: PageWhatsAppKind;
  /** WhatsApp Business numbers connected to the Page, any format (compared by digits). */
  numbers?: string[];
}

export interface WabaPhoneNumber {
  id: string;
  display_phone_number: string;
  verified_name: string;
  quality_rating?: string;
  code_verification_status?: string;
  status?: string;
}

export interface WabaConfig {
  id: string;
  phone_numbers: WabaPhoneNumber[];
}

export interface AccountsConfig {
  tokens?: TokenConfig[];
  ad_accounts?: AdAccountConfig[];
  campaigns?: CampaignConfig[];
  pages?: PageConfig[];
  wabas?: WabaConfig[];
}

export interface CreatedAdSet {
  id: string;
  ad_account_id: string;
  version: string;
  fields: Record<string, unknown>;
  created_at: string;
}

export interface RecordedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  version?: string;
  ad_account_id?: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  content_type?: string;
  raw_body: string;
  /** Parameters from query and body; object fields parsed from their JSON strings. */
  body: Record<string, unknown>;
  access_token?: string;
  response_status?: number;
  response_body?: unknown;
  fault?: string;
}

export const digitsOf = (phone: string): string => phone.replace(/\D/g, '');

export class GraphWorld {
  tokens = new Map<string, TokenConfig>();
  adAccounts = new Map<string, AdAccountConfig>();
  campaigns = new Map<string, CampaignConfig>();
  pages = new Map<string, PageConfig>();
  wabas = new Map<string, WabaConfig>();
  adsets: CreatedAdSet[] = [];
  requests: RecordedRequest[] = [];
  /** Timestamps of recent calls per ad account, for business-use-case throttling. */
  callLog = new Map<string, number[]>();
  globalLatencyMs = 0;
  private nextId = 120210000000000000n;

  reset(): void {
    this.tokens.clear();
    this.adAccounts.clear();
    this.campaigns.clear();
    this.pages.clear();
    this.wabas.clear();
    this.adsets = [];
    this.requests = [];
    this.callLog.clear();
    this.globalLatencyMs = 0;
  }

  configure(config: AccountsConfig): void {
    for (const t of config.tokens ?? []) this.tokens.set(t.token, { ...t });
    for (const a of config.ad_accounts ?? []) this.adAccounts.set(stripAct(a.id), { ...a, id: stripAct(a.id) });
    for (const c of config.campaigns ?? []) {
      this.campaigns.set(c.id, { budget_mode: 'adset', ...c, ad_account_id: stripAct(c.ad_account_id) });
    }
    for (const p of config.pages ?? []) this.pages.set(p.id, { numbers: [], ...p });
    for (const w of config.wabas ?? []) this.wabas.set(w.id, w);
  }

  newObjectId(): string {
    this.nextId += BigInt(1 + Math.floor(Math.random() * 97));
    return this.nextId.toString();
  }

  latencyFor(adAccountId?: string): number {
    const own = adAccountId ? this.adAccounts.get(adAccountId)?.latency_ms : undefined;
    return own ?? this.globalLatencyMs;
  }
}

export function stripAct(id: string): string {
  return String(id).replace(/^act_/, '');
}
