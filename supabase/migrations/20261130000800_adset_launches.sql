-- adset_launches: the audit record of every ad set launch (written by edge functions with the
-- service role, read by the user it belongs to). Records which number and which fallback level
-- were used, Facebook's answer or error, the request sent (never the token) and timings.

create type public.adset_launch_status as enum ('pending', 'succeeded', 'failed');
comment on type public.adset_launch_status is 'Life of one ad set launch.';

create table public.adset_launches (
  id uuid primary key default gen_random_uuid(),
  user_account_id uuid not null references public.user_accounts (id) on delete cascade,
  direction_id uuid,
  whatsapp_phone_number_id uuid,
  phone_number text,
  number_source public.whatsapp_number_source,
  status public.adset_launch_status not null default 'pending',
  fb_adset_id text,
  error_code integer,
  error_subcode integer,
  error_message text,
  error_user_title text,
  error_user_msg text,
  fb_trace_id text,
  request jsonb,
  idempotency_key text,
  used_page_fallback boolean not null default false,
  attempts integer not null default 0,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint adset_launches_user_idempotency_key unique (user_account_id, idempotency_key),
  constraint adset_launches_idempotency_key_length check (pg_catalog.char_length(idempotency_key) between 1 and 200),
  constraint adset_launches_direction_fkey
    foreign key (user_account_id, direction_id)
    references public.account_directions (user_account_id, id)
    on delete set null (direction_id),
  constraint adset_launches_whatsapp_phone_number_fkey
    foreign key (user_account_id, whatsapp_phone_number_id)
    references public.whatsapp_phone_numbers (user_account_id, id)
    on delete set null (whatsapp_phone_number_id),
  constraint adset_launches_succeeded_has_adset check (status <> 'succeeded' or fb_adset_id is not null),
  constraint adset_launches_finished_when_done check ((status = 'pending') = (finished_at is null)),
  constraint adset_launches_attempts_not_negative check (attempts >= 0),
  -- page_default means no number was sent: Facebook used the Page's own.
  constraint adset_launches_page_default_without_number check (
    number_source is distinct from 'page_default' or (phone_number is null and whatsapp_phone_number_id is null)),
  constraint adset_launches_page_fallback_is_page_default check (not used_page_fallback or number_source = 'page_default'),
  constraint adset_launches_request_without_token check (
    request is null or pg_catalog.strpos(pg_catalog.lower(request::text), 'access_token') = 0)
);

comment on table public.adset_launches is
  'Audit of ad set launches: direction, number and fallback level used, Facebook ad set id or '
  'error, request sent (without the token), idempotency key, timings. Users read their own rows; '
  'only the service role writes.';
comment on column public.adset_launches.phone_number is
  'The number sent as promoted_object.whatsapp_phone_number (null = the Page''s own number).';
comment on column public.adset_launches.number_source is 'Fallback level that produced phone_number.';
comment on column public.adset_launches.request is
  'The Graph API request as sent, without the access token (a constraint refuses any access_token).';
comment on column public.adset_launches.idempotency_key is 'Unique per user: a retried launch finds its first record.';
comment on column public.adset_launches.used_page_fallback is
  'True when the number was rejected and the launch fell back to the Page''s number, as the direction allows.';

-- Leading user_account_id: RLS, history listing, and the two composite foreign keys.
create index adset_launches_user_created_idx on public.adset_launches (user_account_id, created_at desc);
create index adset_launches_user_direction_idx on public.adset_launches (user_account_id, direction_id);
create index adset_launches_user_number_idx on public.adset_launches (user_account_id, whatsapp_phone_number_id, created_at);

revoke all on table public.adset_launches from anon, authenticated;
grant select on table public.adset_launches to authenticated;
grant all on table public.adset_launches to service_role;

alter table public.adset_launches enable row level security;

create policy adset_launches_select_own on public.adset_launches
  for select to authenticated
  using (user_account_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
create trigger adset_launches_set_updated_at
  before update on public.adset_launches
  for each row execute function private.set_updated_at();

create trigger adset_launches_keep_owner
  before update of user_account_id on public.adset_launches
  for each row when (old.user_account_id is distinct from new.user_account_id)
  execute function private.refuse_owner_change('a launch');
