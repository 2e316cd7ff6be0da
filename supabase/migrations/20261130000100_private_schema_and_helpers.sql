-- Private schema: trigger functions and helpers that PostgREST never exposes
-- (api.schemas = ["public"] in config.toml), plus the phone-number rules every layer shares.

create schema if not exists private;
comment on schema private is
  'Trigger functions and helpers; not exposed through PostgREST. Nothing here is granted to anon.';

revoke all on schema private from public, anon;
-- authenticated and service_role may reach the few helpers that security-invoker views call
-- (each function still needs its own execute grant; everything else here has none).
grant usage on schema private to authenticated, service_role;

-- Functions are executable by PUBLIC when created; every function in private is revoked below
-- (and later migrations revoke their own), so that only explicit grants apply.
alter default privileges in schema private revoke execute on functions from public;

-- ---------------------------------------------------------------------------------------------
-- updated_at
create or replace function private.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end
$$;
comment on function private.set_updated_at() is 'BEFORE UPDATE trigger: keeps updated_at current.';

-- ---------------------------------------------------------------------------------------------
-- A row never changes owner. authenticated has no update privilege on user_account_id anyway;
-- this refuses the service role too. Used as
--   before update of user_account_id ... when (old.user_account_id is distinct from new.user_account_id)
--   execute function private.refuse_owner_change('<what the row is, e.g. a direction>')
create or replace function private.refuse_owner_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = '42501',
    message = pg_catalog.format('user_account_id: %s cannot be moved to another user', tg_argv[0]),
    hint = 'Create the row for the other user instead.';
end
$$;
comment on function private.refuse_owner_change() is
  'BEFORE UPDATE OF user_account_id trigger: refuses (42501 "user_account_id: <TG_ARGV[0]> cannot be moved to another user").';

-- ---------------------------------------------------------------------------------------------
-- Phone numbers: stored as E.164 with a leading + (8 to 15 digits, no leading zero).
-- Input may carry spaces (also non-breaking), dashes (also Unicode dashes), dots and brackets,
-- and may start with the international prefix 00 instead of +. Anything else is refused.
-- The whitespace is listed explicitly (the set [[:space:]] has under C.UTF-8) rather than written as
-- [[:space:]], whose meaning depends on the database's ctype locale: web/src/lib/phone.ts lists the
-- same characters, and the two must agree everywhere.

create or replace function private.strip_phone_separators(raw text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case when s like '00%' then '+' || pg_catalog.substr(s, 3) else s end
  from (
    select pg_catalog.regexp_replace(raw, '[\t\n\v\f\r \u1680\u2000-\u200a\u2028\u2029\u205f\u3000\u00a0\u202f().\[\]\u2010-\u2015\u2212-]', '', 'g') as s
  ) stripped
$$;
comment on function private.strip_phone_separators(text) is
  'Removes spaces, dashes, dots and brackets and turns a leading 00 into +. Does not validate.';

create or replace function private.phone_format_problem(raw text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when s is null or s = '' then 'empty'
    when s ~ '^\+?[0-9]+$' and s !~ '^\+' then 'missing_country_code'
    when s !~ '^\+[0-9]+$' then 'invalid_characters'
    when s ~ '^\+0' then 'invalid_country_code'
    when pg_catalog.length(s) - 1 < 8 then 'too_short'
    when pg_catalog.length(s) - 1 > 15 then 'too_long'
  end
  from (select private.strip_phone_separators(raw) as s) stripped
$$;
comment on function private.phone_format_problem(text) is
  'Null when the input normalises to E.164 (+ and 8 to 15 digits); else a reason code: empty, '
  'missing_country_code, invalid_characters, invalid_country_code, too_short, too_long.';

create or replace function private.phone_problem_message(reason text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case reason
    when 'empty' then 'it is empty'
    when 'missing_country_code' then 'it must start with + and the country code (or 00)'
    when 'invalid_characters' then 'only digits, spaces, dashes, dots and brackets are allowed'
    when 'invalid_country_code' then 'a country code never starts with 0'
    when 'too_short' then 'it has fewer than 8 digits'
    when 'too_long' then 'it has more than 15 digits'
  end
$$;
comment on function private.phone_problem_message(text) is
  'Human sentence for a phone_format_problem reason code.';

create or replace function private.normalize_phone_or_null(raw text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case when private.phone_format_problem(raw) is null then private.strip_phone_separators(raw) end
$$;
comment on function private.normalize_phone_or_null(text) is
  'E.164 form of the input, or null when it cannot be normalised.';

create or replace function private.normalize_phone(raw text, field text default 'phone_number')
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  problem text := private.phone_format_problem(raw);
begin
  if problem is null then
    return private.strip_phone_separators(raw);
  end if;
  raise exception using
    errcode = '22023',
    message = pg_catalog.format(
      '%s: %s is not a valid WhatsApp number: %s; expected international format like +77011234567',
      field, coalesce(pg_catalog.quote_literal(raw), 'null'), private.phone_problem_message(problem)),
    detail = problem,
    hint = 'Write the number with its country code, e.g. +77011234567 (spaces, dashes, dots and brackets are fine).';
end
$$;
comment on function private.normalize_phone(text, text) is
  'E.164 form of the input; raises 22023 "<field>: ... expected international format like +77011234567" otherwise.';

revoke all on function private.set_updated_at() from public, anon, authenticated;
revoke all on function private.refuse_owner_change() from public, anon, authenticated;
revoke all on function private.strip_phone_separators(text) from public, anon;
revoke all on function private.phone_format_problem(text) from public, anon;
revoke all on function private.phone_problem_message(text) from public, anon;
revoke all on function private.normalize_phone_or_null(text) from public, anon;
revoke all on function private.normalize_phone(text, text) from public, anon, authenticated;
-- Called per row by the security-invoker view legacy_whatsapp_migration_issues.
grant execute on function private.strip_phone_separators(text) to authenticated, service_role;
grant execute on function private.phone_format_problem(text) to authenticated, service_role;
grant execute on function private.phone_problem_message(text) to authenticated, service_role;
grant execute on function private.normalize_phone_or_null(text) to authenticated, service_role;
