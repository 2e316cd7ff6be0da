-- Legacy migration: every user_accounts.whatsapp_phone_number becomes one of that user's numbers,
-- normalised like any other input, labelled 'Основной' ("Primary"), and the default when the user
-- has no default yet. The legacy column is left untouched (fallback level three).
--
-- Outcomes per user with a non-blank legacy value:
--   inserted_default  - the number was added and is the user's default
--   inserted          - the number was added; the user already had another default, which stays
--   promoted_existing - the user already had this number (active) and no default: it became the default
--   already_present   - the user already has this number; nothing to do (re-runs land here)
--   invalid_format    - cannot be normalised; kept in the legacy column and listed in
--                       legacy_whatsapp_migration_issues
-- Every outcome keeps the number a lead reaches unchanged: before the migration a user without a
-- default number was routed to the legacy value, and afterwards to the same number as default.
-- Running the function again changes nothing.

create or replace function private.migrate_legacy_whatsapp_numbers(primary_label text default 'Основной')
returns table (user_account_id uuid, legacy_value text, phone_number text, outcome text)
language plpgsql
set search_path = ''
as $$
declare
  ua record;
  existing public.whatsapp_phone_numbers;
  has_default boolean;
begin
  for ua in
    select a.id, a.whatsapp_phone_number as legacy, a.legacy_whatsapp_phone_e164 as e164
    from public.user_accounts a
    where nullif(pg_catalog.btrim(a.whatsapp_phone_number), '') is not null
    order by a.id
  loop
    user_account_id := ua.id;
    legacy_value := ua.legacy;
    phone_number := ua.e164;

    if ua.e164 is null then
      outcome := 'invalid_format';
      return next;
      continue;
    end if;

    -- One user at a time, in the same lock order as the default-flag trigger.
    perform 1 from public.user_accounts a where a.id = ua.id for no key update;

    select n.* into existing from public.whatsapp_phone_numbers n
    where n.user_account_id = ua.id and n.phone_number = ua.e164;
    has_default := exists (select 1 from public.whatsapp_phone_numbers n where n.user_account_id = ua.id and n.is_default);

    if existing.id is null then
      insert into public.whatsapp_phone_numbers (user_account_id, phone_number, label, is_default, is_active)
      values (ua.id, ua.e164, primary_label, not has_default, true);
      outcome := case when has_default then 'inserted' else 'inserted_default' end;
    elsif not has_default and existing.is_active then
      update public.whatsapp_phone_numbers n set is_default = true where n.id = existing.id;
      outcome := 'promoted_existing';
    else
      outcome := 'already_present';
    end if;
    existing := null;
    return next;
  end loop;
end
$$;
comment on function private.migrate_legacy_whatsapp_numbers(text) is
  'Copies user_accounts.whatsapp_phone_number into whatsapp_phone_numbers (default when the user has '
  'none). Idempotent; returns one row per legacy value with its outcome.';
revoke all on function private.migrate_legacy_whatsapp_numbers(text) from public, anon, authenticated;

-- The values that could not be migrated, with the reason, computed live from user_accounts.
create view public.legacy_whatsapp_migration_issues
with (security_invoker = true)
as
select
  ua.id as user_account_id,
  ua.whatsapp_phone_number as legacy_value,
  problem.reason,
  'whatsapp_phone_number: ' || private.phone_problem_message(problem.reason)
    || '; expected international format like +77011234567' as message
from public.user_accounts ua
cross join lateral (select private.phone_format_problem(ua.whatsapp_phone_number) as reason) problem
where ua.legacy_whatsapp_phone_e164 is null
  and nullif(pg_catalog.btrim(ua.whatsapp_phone_number), '') is not null;

comment on view public.legacy_whatsapp_migration_issues is
  'Legacy numbers that could not be migrated (they stay in user_accounts.whatsapp_phone_number), '
  'with the reason code (missing_country_code, invalid_characters, invalid_country_code, too_short, '
  'too_long) and a sentence for the user.';

revoke all on table public.legacy_whatsapp_migration_issues from anon, authenticated, service_role;
grant select on table public.legacy_whatsapp_migration_issues to authenticated, service_role;

-- Run it now; re-running later is harmless.
do $$
begin
  perform pg_catalog.count(*) from private.migrate_legacy_whatsapp_numbers();
end
$$;
