-- account_directions: a user's business lines, each with its own campaign, budget, targeting and
-- (optionally) its own WhatsApp number. A direction can only point at a number of the same user:
-- the composite foreign key (user_account_id, whatsapp_phone_number_id) makes that structural.

create type public.direction_objective as enum ('whatsapp', 'lead_forms', 'site_leads', 'instagram_traffic');
comment on type public.direction_objective is
  'What a direction''s ads optimise for; click-to-WhatsApp ads are ''whatsapp''.';

create table public.account_directions (
  id uuid primary key default gen_random_uuid(),
  user_account_id uuid not null default auth.uid() references public.user_accounts (id) on delete cascade,
  name text not null,
  objective public.direction_objective not null default 'whatsapp',
  daily_budget_cents integer not null,
  target_cpl_cents integer,
  is_active boolean not null default true,
  fb_campaign_id text,
  default_settings jsonb not null default '{}'::jsonb,
  whatsapp_phone_number_id uuid,
  allow_page_number_fallback boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint account_directions_name_length check (pg_catalog.char_length(name) between 1 and 200 and name = pg_catalog.btrim(name)),
  constraint account_directions_daily_budget_positive check (daily_budget_cents > 0),
  constraint account_directions_target_cpl_positive check (target_cpl_cents > 0),
  constraint account_directions_fb_campaign_id_format check (fb_campaign_id ~ '^[0-9]{1,32}$'),
  constraint account_directions_default_settings_object check (pg_catalog.jsonb_typeof(default_settings) = 'object'),
  constraint account_directions_whatsapp_phone_number_fkey
    foreign key (user_account_id, whatsapp_phone_number_id)
    references public.whatsapp_phone_numbers (user_account_id, id)
    on delete set null (whatsapp_phone_number_id),
  -- target of adset_launches' composite foreign key
  constraint account_directions_user_id_key unique (user_account_id, id)
);

comment on table public.account_directions is
  'Business lines of a user: campaign, daily budget, target cost per lead, targeting and the '
  'WhatsApp number its leads go to (null = the user''s default number).';
comment on column public.account_directions.daily_budget_cents is 'Daily budget in the currency''s minor units (> 0).';
comment on column public.account_directions.target_cpl_cents is 'Target cost per lead in minor units (> 0), optional.';
comment on column public.account_directions.fb_campaign_id is 'Facebook campaign id (digits).';
comment on column public.account_directions.default_settings is
  'Ad set defaults as a JSON object, notably "targeting" (Graph API targeting spec).';
comment on column public.account_directions.whatsapp_phone_number_id is
  'The direction''s own number (same user, enforced by foreign key); null = use the default number.';
comment on column public.account_directions.allow_page_number_fallback is
  'The user allows a launch to fall back to the Page''s own WhatsApp number when Facebook rejects '
  'the chosen number. Off by default: leads are never silently re-routed.';

-- Leading user_account_id: serves RLS, the composite foreign key (ON DELETE of a number), and the
-- usage report's per-number counts.
create index account_directions_user_number_idx
  on public.account_directions (user_account_id, whatsapp_phone_number_id);

revoke all on table public.account_directions from anon, authenticated;
grant select, delete on table public.account_directions to authenticated;
grant insert (user_account_id, name, objective, daily_budget_cents, target_cpl_cents, is_active,
              fb_campaign_id, default_settings, whatsapp_phone_number_id, allow_page_number_fallback)
  on table public.account_directions to authenticated;
grant update (name, objective, daily_budget_cents, target_cpl_cents, is_active,
              fb_campaign_id, default_settings, whatsapp_phone_number_id, allow_page_number_fallback)
  on table public.account_directions to authenticated;
grant all on table public.account_directions to service_role;

alter table public.account_directions enable row level security;

create policy account_directions_select_own on public.account_directions
  for select to authenticated
  using (user_account_id = (select auth.uid()));

create policy account_directions_insert_own on public.account_directions
  for insert to authenticated
  with check (user_account_id = (select auth.uid()));

create policy account_directions_update_own on public.account_directions
  for update to authenticated
  using (user_account_id = (select auth.uid()))
  with check (user_account_id = (select auth.uid()));

create policy account_directions_delete_own on public.account_directions
  for delete to authenticated
  using (user_account_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
create or replace function private.account_directions_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.name := pg_catalog.btrim(new.name);
  new.fb_campaign_id := nullif(pg_catalog.btrim(new.fb_campaign_id), '');
  return new;
end
$$;
revoke all on function private.account_directions_before_write() from public, anon, authenticated;

create trigger account_directions_before_write
  before insert or update on public.account_directions
  for each row execute function private.account_directions_before_write();

create trigger account_directions_keep_owner
  before update of user_account_id on public.account_directions
  for each row when (old.user_account_id is distinct from new.user_account_id)
  execute function private.refuse_owner_change('a direction');

create trigger account_directions_set_updated_at
  before update on public.account_directions
  for each row execute function private.set_updated_at();
