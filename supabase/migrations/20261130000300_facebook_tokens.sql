-- user_facebook_tokens: the Facebook access token, write-only for the browser.
-- authenticated may insert, update (upsert) and delete its own row but has no select privilege on
-- access_token, so it can never read a token back, not even its own. Edge functions read it with
-- the service role. user_accounts.has_facebook_token tells the UI whether a token is set.

create table public.user_facebook_tokens (
  user_account_id uuid primary key default auth.uid() references public.user_accounts (id) on delete cascade,
  access_token text not null,
  updated_at timestamptz not null default now(),
  constraint user_facebook_tokens_access_token_not_blank check (pg_catalog.length(pg_catalog.btrim(access_token)) between 1 and 4096)
);

comment on table public.user_facebook_tokens is
  'Facebook access token per user. The browser may set it (insert/upsert/delete own row) but '
  'cannot select access_token; only the service role reads it.';
comment on column public.user_facebook_tokens.access_token is
  'Facebook user or system-user access token. Never selectable by anon or authenticated.';

revoke all on table public.user_facebook_tokens from anon, authenticated;
-- PostgREST's upsert (on_conflict=user_account_id) needs select on the conflict column.
grant select (user_account_id, updated_at) on table public.user_facebook_tokens to authenticated;
grant insert (user_account_id, access_token) on table public.user_facebook_tokens to authenticated;
grant update (access_token) on table public.user_facebook_tokens to authenticated;
grant delete on table public.user_facebook_tokens to authenticated;
grant all on table public.user_facebook_tokens to service_role;

alter table public.user_facebook_tokens enable row level security;

create policy user_facebook_tokens_select_own on public.user_facebook_tokens
  for select to authenticated
  using (user_account_id = (select auth.uid()));

create policy user_facebook_tokens_insert_own on public.user_facebook_tokens
  for insert to authenticated
  with check (user_account_id = (select auth.uid()));

create policy user_facebook_tokens_update_own on public.user_facebook_tokens
  for update to authenticated
  using (user_account_id = (select auth.uid()))
  with check (user_account_id = (select auth.uid()));

create policy user_facebook_tokens_delete_own on public.user_facebook_tokens
  for delete to authenticated
  using (user_account_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
create or replace function private.user_facebook_tokens_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.access_token := pg_catalog.btrim(new.access_token);
  new.updated_at := pg_catalog.now();
  return new;
end
$$;
revoke all on function private.user_facebook_tokens_before_write() from public, anon, authenticated;

create trigger user_facebook_tokens_before_write
  before insert or update on public.user_facebook_tokens
  for each row execute function private.user_facebook_tokens_before_write();

create or replace function private.sync_has_facebook_token()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    update public.user_accounts set has_facebook_token = false
    where id = old.user_account_id and has_facebook_token;
  else
    update public.user_accounts set has_facebook_token = true
    where id = new.user_account_id and not has_facebook_token;
  end if;
  return null;
end
$$;
comment on function private.sync_has_facebook_token() is
  'AFTER INSERT/DELETE on user_facebook_tokens: maintains user_accounts.has_facebook_token.';
revoke all on function private.sync_has_facebook_token() from public, anon, authenticated;

create trigger user_facebook_tokens_sync_flag
  after insert or delete on public.user_facebook_tokens
  for each row execute function private.sync_has_facebook_token();
