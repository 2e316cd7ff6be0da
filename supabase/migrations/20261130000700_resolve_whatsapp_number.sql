-- The fallback chain, once, in SQL:
--   the direction's own number (set and active)
--     -> the user's default number (active)
--       -> the legacy user_accounts.whatsapp_phone_number
--         -> page_default: no number; Facebook uses the Page's own WhatsApp number.
--
-- direction_whatsapp_routes is the set-based form (joins, no per-row function calls) and
-- resolve_whatsapp_number(direction_id) reads one row of it, so both always give the same answer.
-- Both run with the caller's rights: a direction the caller cannot see resolves to nothing.

create type public.whatsapp_number_source as enum ('direction', 'default', 'legacy', 'page_default');
comment on type public.whatsapp_number_source is
  'Which fallback level produced a direction''s WhatsApp number.';

-- The default-number lookup is served by whatsapp_phone_numbers_one_default_per_user,
-- the direction's number by whatsapp_phone_numbers_user_id_key.
create view public.direction_whatsapp_routes
with (security_invoker = true)
as
select
  d.id as direction_id,
  d.user_account_id,
  d.name as direction_name,
  d.objective,
  d.is_active,
  d.daily_budget_cents,
  d.target_cpl_cents,
  d.allow_page_number_fallback,
  route.whatsapp_phone_number_id,
  route.phone_number,
  route.label,
  route.source
from public.account_directions d
left join public.whatsapp_phone_numbers own
  on own.user_account_id = d.user_account_id
 and own.id = d.whatsapp_phone_number_id
 and own.is_active
left join public.whatsapp_phone_numbers dflt
  on dflt.user_account_id = d.user_account_id
 and dflt.is_default
 and dflt.is_active
left join public.user_accounts ua
  on ua.id = d.user_account_id
cross join lateral (
  select
    case
      when own.id is not null then own.id
      when dflt.id is not null then dflt.id
    end as whatsapp_phone_number_id,
    case
      when own.id is not null then own.phone_number
      when dflt.id is not null then dflt.phone_number
      else coalesce(ua.legacy_whatsapp_phone_e164, nullif(pg_catalog.btrim(ua.whatsapp_phone_number), ''))
    end as phone_number,
    case
      when own.id is not null then own.label
      when dflt.id is not null then dflt.label
    end as label,
    case
      when own.id is not null then 'direction'::public.whatsapp_number_source
      when dflt.id is not null then 'default'::public.whatsapp_number_source
      when nullif(pg_catalog.btrim(ua.whatsapp_phone_number), '') is not null then 'legacy'::public.whatsapp_number_source
      else 'page_default'::public.whatsapp_number_source
    end as source
) route;

comment on view public.direction_whatsapp_routes is
  'Every visible direction with the WhatsApp number its leads reach and the fallback level '
  '(source: direction, default, legacy, page_default). Same answers as resolve_whatsapp_number().';
comment on column public.direction_whatsapp_routes.phone_number is
  'E.164, except a legacy value that cannot be normalised, returned as stored (trimmed) so that a '
  'launch fails loudly instead of re-routing leads; null for page_default.';

revoke all on table public.direction_whatsapp_routes from anon, authenticated, service_role;
grant select on table public.direction_whatsapp_routes to authenticated;
grant select on table public.direction_whatsapp_routes to service_role;

-- ---------------------------------------------------------------------------------------------
-- PL/pgSQL around one SQL statement, on purpose: a LANGUAGE sql function with SET search_path is
-- never inlined, and Postgres 15 plans its body again on every call (bench/db.ts measured 14 times
-- a primary-key lookup); PL/pgSQL keeps the plan for the session (about 1.5 to 2 times).
create or replace function public.resolve_whatsapp_number(direction_id uuid)
returns table (phone_number text, whatsapp_phone_number_id uuid, source public.whatsapp_number_source)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  return query
  select r.phone_number, r.whatsapp_phone_number_id, r.source
  from public.direction_whatsapp_routes r
  where r.direction_id = resolve_whatsapp_number.direction_id;
end
$$;
comment on function public.resolve_whatsapp_number(uuid) is
  'The WhatsApp number a launch for this direction uses: the direction''s active number, else the '
  'user''s active default, else the legacy user_accounts.whatsapp_phone_number, else page_default '
  '(null number: Facebook uses the Page''s number). Zero rows when the caller cannot see the direction.';

revoke all on function public.resolve_whatsapp_number(uuid) from public, anon;
grant execute on function public.resolve_whatsapp_number(uuid) to authenticated, service_role;
