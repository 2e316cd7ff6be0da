-- Reporting views for analysts and the UI. security_invoker = true: each caller sees its own rows
-- (the service role sees all). direction_whatsapp_routes (the route of every direction) lives with
-- resolve_whatsapp_number; legacy_whatsapp_migration_issues with the legacy migration.

-- Usage per number: directions bound to it, directions whose route reaches it (bound or through
-- the default), launches made with it and the last one.
create view public.whatsapp_number_usage
with (security_invoker = true)
as
select
  n.id as whatsapp_phone_number_id,
  n.user_account_id,
  n.phone_number,
  n.label,
  n.is_default,
  n.is_active,
  bound.direction_count,
  routed.routed_direction_count,
  launches.launch_count,
  launches.succeeded_launch_count,
  launches.failed_launch_count,
  launches.last_launch_at
from public.whatsapp_phone_numbers n
cross join lateral (
  select pg_catalog.count(*)::integer as direction_count
  from public.account_directions d
  where d.user_account_id = n.user_account_id and d.whatsapp_phone_number_id = n.id
) bound
cross join lateral (
  -- Bound and active; or, when this is the active default, every direction whose own number is
  -- unset or inactive.
  select pg_catalog.count(*)::integer as routed_direction_count
  from public.account_directions d
  left join public.whatsapp_phone_numbers own
    on own.user_account_id = d.user_account_id and own.id = d.whatsapp_phone_number_id
  where d.user_account_id = n.user_account_id
    and n.is_active
    and (d.whatsapp_phone_number_id = n.id or (n.is_default and (own.id is null or not own.is_active)))
) routed
cross join lateral (
  select
    pg_catalog.count(*)::integer as launch_count,
    (pg_catalog.count(*) filter (where l.status = 'succeeded'))::integer as succeeded_launch_count,
    (pg_catalog.count(*) filter (where l.status = 'failed'))::integer as failed_launch_count,
    pg_catalog.max(l.created_at) as last_launch_at
  from public.adset_launches l
  where l.user_account_id = n.user_account_id and l.whatsapp_phone_number_id = n.id
) launches;

comment on view public.whatsapp_number_usage is
  'Per WhatsApp number: directions bound to it (direction_count), directions whose route reaches it '
  '(routed_direction_count, including through the default), launches with it and the last launch.';

revoke all on table public.whatsapp_number_usage from anon, authenticated, service_role;
grant select on table public.whatsapp_number_usage to authenticated, service_role;

-- Launch history with the direction's name and the number's label.
create view public.adset_launch_history
with (security_invoker = true)
as
select
  l.id,
  l.user_account_id,
  l.direction_id,
  d.name as direction_name,
  d.objective as direction_objective,
  l.whatsapp_phone_number_id,
  l.phone_number,
  n.label as phone_number_label,
  l.number_source,
  l.used_page_fallback,
  l.status,
  l.fb_adset_id,
  l.error_code,
  l.error_subcode,
  l.error_message,
  l.error_user_title,
  l.error_user_msg,
  l.fb_trace_id,
  l.request,
  l.idempotency_key,
  l.attempts,
  l.started_at,
  l.finished_at,
  (extract(epoch from (l.finished_at - l.started_at)) * 1000)::bigint as duration_ms,
  l.created_at,
  l.updated_at
from public.adset_launches l
left join public.account_directions d
  on d.user_account_id = l.user_account_id and d.id = l.direction_id
left join public.whatsapp_phone_numbers n
  on n.user_account_id = l.user_account_id and n.id = l.whatsapp_phone_number_id;

comment on view public.adset_launch_history is
  'Ad set launches with direction name and number label, newest first when ordered by created_at.';

revoke all on table public.adset_launch_history from anon, authenticated, service_role;
grant select on table public.adset_launch_history to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- The views are read-only. Without a trigger, a write to a join view fails in the rewriter with
-- 55000 ("cannot insert into view"), which PostgREST answers with HTTP 500. With an INSTEAD OF
-- trigger the executor's privilege check runs first: nobody holds insert/update/delete on these
-- views, so every write is 42501 (401/403 through PostgREST), and the trigger itself refuses too.
create or replace function private.refuse_view_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = '42501',
    message = pg_catalog.format('%s is a read-only view', tg_table_name);
end
$$;
comment on function private.refuse_view_write() is 'INSTEAD OF trigger: the reporting views are read-only (42501).';
revoke all on function private.refuse_view_write() from public, anon, authenticated;

create trigger direction_whatsapp_routes_read_only
  instead of insert or update or delete on public.direction_whatsapp_routes
  for each row execute function private.refuse_view_write();
create trigger whatsapp_number_usage_read_only
  instead of insert or update or delete on public.whatsapp_number_usage
  for each row execute function private.refuse_view_write();
create trigger adset_launch_history_read_only
  instead of insert or update or delete on public.adset_launch_history
  for each row execute function private.refuse_view_write();
create trigger legacy_whatsapp_migration_issues_read_only
  instead of insert or update or delete on public.legacy_whatsapp_migration_issues
  for each row execute function private.refuse_view_write();
