-- The Facebook access token: the browser may set it but can never read it back, not even its own.
--
-- Why two tables: PostgREST's upsert (supabase-js upsert({access_token}, {onConflict:
-- 'user_account_id'})) runs INSERT ... ON CONFLICT DO UPDATE SET access_token =
-- EXCLUDED.access_token, and Postgres requires SELECT privilege on access_token for that (and
-- applies the SELECT policy to the existing row). A column the browser upserts is therefore a
-- column it could select. So the browser writes to public.user_facebook_tokens, whose access_token
-- column is an input only: a trigger moves the value into private.facebook_access_tokens (not
-- exposed by PostgREST, no grants to anon or authenticated) and stores null. Reading the public
-- table gives user_account_id, updated_at and a null access_token; RETURNING gives null too.
-- Server-side code (edge functions, as postgres or service_role) reads private.facebook_access_tokens.
-- user_accounts.has_facebook_token tells the UI whether a token is set.

create table private.facebook_access_tokens (
  user_account_id uuid primary key references public.user_accounts (id) on delete cascade,
  access_token text not null,
  updated_at timestamptz not null default now(),
  constraint facebook_access_tokens_access_token_length check (pg_catalog.char_length(access_token) between 1 and 4096)
);
comment on table private.facebook_access_tokens is
  'The Facebook access token per user. Server-side only (postgres, service_role); written through '
  'public.user_facebook_tokens.';

revoke all on table private.facebook_access_tokens from public, anon, authenticated;
grant select on table private.facebook_access_tokens to service_role;
alter table private.facebook_access_tokens enable row level security;  -- no policies: owner and service_role only

create table public.user_facebook_tokens (
  user_account_id uuid primary key default auth.uid() references public.user_accounts (id) on delete cascade,
  access_token text,
  updated_at timestamptz not null default now()
);

comment on table public.user_facebook_tokens is
  'Where the browser sets its Facebook access token (insert, upsert on user_account_id, update, '
  'delete = disconnect). The token is moved to private.facebook_access_tokens by a trigger: '
  'access_token always reads back as null.';
comment on column public.user_facebook_tokens.access_token is
  'Write-only: the token written here is stored server-side; this column always reads null.';
comment on column public.user_facebook_tokens.updated_at is 'When the token was last set.';

revoke all on table public.user_facebook_tokens from anon, authenticated;
grant select (user_account_id, access_token, updated_at) on table public.user_facebook_tokens to authenticated;
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
-- BEFORE INSERT/UPDATE: store the token server-side and keep null in the public row.
-- An INSERT that will meet an existing row (upsert, or a plain insert that fails with 23505)
-- leaves the value in place for the ON CONFLICT DO UPDATE path, whose BEFORE UPDATE stores it;
-- so ON CONFLICT DO NOTHING (ignoreDuplicates) replaces nothing.
create or replace function private.user_facebook_tokens_before_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  token text := pg_catalog.btrim(new.access_token);
begin
  -- RLS checks the row after this trigger; the side effect below must not wait for it.
  if caller is not null and new.user_account_id is distinct from caller then
    raise exception using
      errcode = '42501',
      message = 'new row violates row-level security policy for table "user_facebook_tokens"';
  end if;

  if tg_op = 'UPDATE' and new.access_token is null then
    return new;  -- nothing to store (the column always reads null)
  end if;
  if token is null or token = '' then
    raise exception using
      errcode = '23514',
      constraint = 'user_facebook_tokens_access_token_not_blank',
      message = 'access_token: the Facebook access token is empty',
      hint = 'Connect Facebook again to get a new access token.';
  end if;
  if tg_op = 'INSERT' and exists (select 1 from public.user_facebook_tokens t where t.user_account_id = new.user_account_id) then
    return new;  -- conflict ahead: DO UPDATE stores it, DO NOTHING ignores it, no ON CONFLICT fails
  end if;

  if pg_catalog.char_length(token) > 4096 then
    raise exception using errcode = '22001', message = 'access_token: at most 4096 characters';
  end if;

  insert into private.facebook_access_tokens as f (user_account_id, access_token, updated_at)
  values (new.user_account_id, token, pg_catalog.now())
  on conflict (user_account_id) do update set access_token = excluded.access_token, updated_at = excluded.updated_at;

  new.access_token := null;
  new.updated_at := pg_catalog.now();
  return new;
end
$$;
comment on function private.user_facebook_tokens_before_write() is
  'BEFORE INSERT/UPDATE on user_facebook_tokens: moves the token to private.facebook_access_tokens.';
revoke all on function private.user_facebook_tokens_before_write() from public, anon, authenticated;

create trigger user_facebook_tokens_before_write
  before insert or update on public.user_facebook_tokens
  for each row execute function private.user_facebook_tokens_before_write();

-- A token row never changes owner (the statement fails, so a token stored above is rolled back).
create trigger user_facebook_tokens_keep_owner
  before update of user_account_id on public.user_facebook_tokens
  for each row when (old.user_account_id is distinct from new.user_account_id)
  execute function private.refuse_owner_change('a token');

-- AFTER INSERT/UPDATE: a stored row never holds a token. (Not a CHECK constraint: constraints are
-- checked on the proposed row before ON CONFLICT decides, and that row still carries the token.)
create or replace function private.user_facebook_tokens_assert_write_only()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.access_token is not null then
    raise exception using
      errcode = '23514',
      constraint = 'user_facebook_tokens_access_token_write_only',
      message = 'user_facebook_tokens_access_token_write_only: a token must not be stored in public.user_facebook_tokens';
  end if;
  return null;
end
$$;
revoke all on function private.user_facebook_tokens_assert_write_only() from public, anon, authenticated;

create trigger user_facebook_tokens_assert_write_only
  after insert or update on public.user_facebook_tokens
  for each row execute function private.user_facebook_tokens_assert_write_only();

-- AFTER DELETE: disconnecting removes the stored token.
create or replace function private.user_facebook_tokens_after_delete()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from private.facebook_access_tokens f where f.user_account_id = old.user_account_id;
  return null;
end
$$;
revoke all on function private.user_facebook_tokens_after_delete() from public, anon, authenticated;

create trigger user_facebook_tokens_after_delete
  after delete on public.user_facebook_tokens
  for each row execute function private.user_facebook_tokens_after_delete();

-- user_accounts.has_facebook_token follows the stored token.
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
  'AFTER INSERT/DELETE on private.facebook_access_tokens: maintains user_accounts.has_facebook_token.';
revoke all on function private.sync_has_facebook_token() from public, anon, authenticated;

create trigger facebook_access_tokens_sync_flag
  after insert or delete on private.facebook_access_tokens
  for each row execute function private.sync_has_facebook_token();
