-- Deleting a number that directions use is refused with an error naming those directions;
-- retire_whatsapp_number() moves the directions to another number (or to "use default") and
-- deletes the number in one transaction.

create or replace function private.whatsapp_phone_numbers_guard_in_use()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  used jsonb;
  names text;
begin
  -- Deleting the whole account (cascade from user_accounts) takes its directions with it.
  if not exists (select 1 from public.user_accounts ua where ua.id = old.user_account_id) then
    return old;
  end if;

  select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('id', d.id, 'name', d.name) order by d.name, d.id),
         pg_catalog.string_agg(pg_catalog.format('"%s"', d.name), ', ' order by d.name, d.id)
    into used, names
  from public.account_directions d
  where d.user_account_id = old.user_account_id and d.whatsapp_phone_number_id = old.id;

  if used is not null then
    raise exception using
      errcode = '23503',
      constraint = 'account_directions_whatsapp_phone_number_fkey',
      table = 'whatsapp_phone_numbers',
      schema = 'public',
      message = pg_catalog.format('whatsapp_number_in_use: %s is used by %s: %s',
        old.phone_number,
        case when pg_catalog.jsonb_array_length(used) = 1 then 'direction' else pg_catalog.jsonb_array_length(used) || ' directions' end,
        names),
      detail = pg_catalog.jsonb_build_object('directions', used)::text,
      hint = 'Move these directions to another number first, or call retire_whatsapp_number(number_id, replacement_id).';
  end if;
  return old;
end
$$;
comment on function private.whatsapp_phone_numbers_guard_in_use() is
  'BEFORE DELETE on whatsapp_phone_numbers: refuses (23503 whatsapp_number_in_use) while directions use the number.';
revoke all on function private.whatsapp_phone_numbers_guard_in_use() from public, anon, authenticated;

create trigger whatsapp_phone_numbers_guard_in_use
  before delete on public.whatsapp_phone_numbers
  for each row execute function private.whatsapp_phone_numbers_guard_in_use();

-- ---------------------------------------------------------------------------------------------
create or replace function public.retire_whatsapp_number(number_id uuid, replacement_id uuid default null)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  retired public.whatsapp_phone_numbers;
  replacement public.whatsapp_phone_numbers;
  moved integer;
begin
  -- Same lock order as the default-flag trigger: the user's row first, then the number.
  -- Visible numbers only (RLS): another user's id is "not found", like a missing one (its owner's
  -- row is not locked either: the subquery sees nothing).
  perform 1 from public.user_accounts ua
  where ua.id = (select n.user_account_id from public.whatsapp_phone_numbers n where n.id = retire_whatsapp_number.number_id)
  for no key update;
  select n.* into retired from public.whatsapp_phone_numbers n where n.id = retire_whatsapp_number.number_id for update;
  if not found then
    -- SQLSTATE PT404 is PostgREST's convention for HTTP 404 (P0002 would be answered with a 500).
    raise exception using
      errcode = 'PT404',
      message = 'whatsapp_number_not_found: no such WhatsApp number',
      detail = pg_catalog.jsonb_build_object('number_id', retire_whatsapp_number.number_id)::text,
      hint = 'Reload the list of numbers: this one may have been deleted already.';
  end if;

  if replacement_id is not null then
    select n.* into replacement from public.whatsapp_phone_numbers n
    where n.id = retire_whatsapp_number.replacement_id and n.user_account_id = retired.user_account_id;
    if not found then
      raise exception using
        errcode = '23503',
        message = 'replacement_id: the replacement must be another of your WhatsApp numbers',
        detail = pg_catalog.jsonb_build_object('replacement_id', retire_whatsapp_number.replacement_id)::text;
    end if;
    if replacement.id = retired.id then
      raise exception using
        errcode = '22023',
        message = 'replacement_id: a number cannot replace itself';
    end if;
    if not replacement.is_active then
      raise exception using
        errcode = '22023',
        message = pg_catalog.format('replacement_id: %s is inactive; activate it or choose an active number', replacement.phone_number);
    end if;
  end if;

  update public.account_directions d
  set whatsapp_phone_number_id = retire_whatsapp_number.replacement_id
  where d.user_account_id = retired.user_account_id and d.whatsapp_phone_number_id = retired.id;
  get diagnostics moved = row_count;

  -- Retiring the default in favour of a named replacement hands the default to it: the user chose
  -- where these leads go. Without a replacement no other number is promoted.
  if retired.is_default and replacement.id is not null then
    update public.whatsapp_phone_numbers n set is_default = true where n.id = replacement.id;
  end if;

  delete from public.whatsapp_phone_numbers n where n.id = retired.id;
  return moved;
end
$$;
comment on function public.retire_whatsapp_number(uuid, uuid) is
  'Moves the directions that use number_id to replacement_id (null = use the default number) and '
  'deletes number_id, atomically. Retiring the default with a replacement makes the replacement the '
  'default. Returns the number of directions moved.';

revoke all on function public.retire_whatsapp_number(uuid, uuid) from public, anon;
grant execute on function public.retire_whatsapp_number(uuid, uuid) to authenticated, service_role;
