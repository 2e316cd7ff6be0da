-- user_accounts: one row per auth user, created by a trigger when the user signs up.
-- Holds the legacy single WhatsApp number (fallback level three) and the Facebook connection
-- (the access token itself lives in user_facebook_tokens, which the browser cannot read).

create table public.user_accounts (
  id uuid primary key references auth.users (id) on delete cascade,
  email text,
  whatsapp_phone_number text,
  legacy_whatsapp_phone_e164 text generated always as (private.normalize_phone_or_null(whatsapp_phone_number)) stored,
  ad_account_id text,
  page_id text,
  has_facebook_token boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_accounts_ad_account_id_format check (ad_account_id ~ '^[0-9]{1,32}$'),
  constraint user_accounts_page_id_format check (page_id ~ '^[0-9]{1,32}$')
);

comment on table public.user_accounts is
  'One row per auth user (id = auth.users.id), created by a trigger on sign-up.';
comment on column public.user_accounts.whatsapp_phone_number is
  'Legacy single WhatsApp number, kept as written by the old API. Fallback level three after the '
  'direction''s number and the default number. Migrated into whatsapp_phone_numbers by '
  'private.migrate_legacy_whatsapp_numbers(); values that cannot be migrated are listed in '
  'legacy_whatsapp_migration_issues.';
comment on column public.user_accounts.legacy_whatsapp_phone_e164 is
  'The legacy number normalised to E.164, or null when it cannot be normalised (generated).';
comment on column public.user_accounts.ad_account_id is
  'Facebook ad account id, digits only (an "act_" prefix in input is removed).';
comment on column public.user_accounts.page_id is 'Facebook Page id, digits only.';
comment on column public.user_accounts.has_facebook_token is
  'True when user_facebook_tokens holds a token for this user (maintained by trigger).';

-- Privileges: RLS is the row boundary, grants are the column boundary.
revoke all on table public.user_accounts from anon, authenticated;
grant select on table public.user_accounts to authenticated;
grant update (whatsapp_phone_number, ad_account_id, page_id) on table public.user_accounts to authenticated;
grant all on table public.user_accounts to service_role;

alter table public.user_accounts enable row level security;

create policy user_accounts_select_own on public.user_accounts
  for select to authenticated
  using (id = (select auth.uid()));

create policy user_accounts_update_own on public.user_accounts
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
-- Input clean-up: "act_123" -> "123", blanks -> null.
create or replace function private.user_accounts_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.ad_account_id := nullif(pg_catalog.regexp_replace(pg_catalog.btrim(new.ad_account_id), '^act_', ''), '');
  new.page_id := nullif(pg_catalog.btrim(new.page_id), '');
  return new;
end
$$;
revoke all on function private.user_accounts_before_write() from public, anon, authenticated;

create trigger user_accounts_before_write
  before insert or update on public.user_accounts
  for each row execute function private.user_accounts_before_write();

create trigger user_accounts_set_updated_at
  before update on public.user_accounts
  for each row execute function private.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Sign-up: every auth user gets a user_accounts row; the email follows auth.users.
create or replace function private.handle_auth_user_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.user_accounts (id, email)
    values (new.id, new.email)
    on conflict (id) do nothing;
  elsif new.email is distinct from old.email then
    update public.user_accounts set email = new.email where id = new.id;
  end if;
  return null;
end
$$;
comment on function private.handle_auth_user_change() is
  'AFTER INSERT/UPDATE OF email on auth.users: creates the user_accounts row, keeps email in sync.';
revoke all on function private.handle_auth_user_change() from public, anon, authenticated;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_auth_user_change();

create trigger on_auth_user_email_changed
  after update of email on auth.users
  for each row execute function private.handle_auth_user_change();

-- Users that signed up before this migration.
insert into public.user_accounts (id, email)
select u.id, u.email from auth.users u
on conflict (id) do nothing;
