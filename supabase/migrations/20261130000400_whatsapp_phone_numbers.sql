-- whatsapp_phone_numbers: a user's WhatsApp numbers, one of which may be the default.
--
-- Rules (all enforced here, clients only present them):
-- * phone_number is stored as E.164 with + (8 to 15 digits); input is normalised
--   (spaces, dashes, dots, brackets, leading 00) and anything else raises 22023 "phone_number: ...".
-- * label is trimmed (blank -> null) and at most 100 characters (22001 "label: ...").
-- * a number is unique per user (23505 whatsapp_phone_numbers_user_phone_key, compared after
--   normalisation, so "+7 701 123 45 67" duplicates "+77011234567"); two users may share one.
-- * at most one default per user: the partial unique index whatsapp_phone_numbers_one_default_per_user
--   is the hard guarantee; making a number the default clears the previous default in the same
--   statement, serialised per user by locking the user's user_accounts row.
-- * the first number a user adds (the user has no numbers at all, active or not) becomes the
--   default when it is active.
-- * a default cannot be inactive (23514 whatsapp_phone_numbers_default_is_active): deactivating
--   the default is refused; the user first makes another number the default.
-- * deleting the default (or un-setting it) never promotes another number.

create table public.whatsapp_phone_numbers (
  id uuid primary key default gen_random_uuid(),
  user_account_id uuid not null default auth.uid() references public.user_accounts (id) on delete cascade,
  phone_number text not null,
  label text,
  is_default boolean not null default false,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint whatsapp_phone_numbers_phone_e164 check (phone_number ~ '^\+[1-9][0-9]{7,14}$'),
  constraint whatsapp_phone_numbers_label_length check (label is null or (pg_catalog.char_length(label) between 1 and 100 and label = pg_catalog.btrim(label))),
  constraint whatsapp_phone_numbers_default_is_active check (not is_default or is_active),
  constraint whatsapp_phone_numbers_user_phone_key unique (user_account_id, phone_number),
  -- target of the composite foreign keys that keep references inside one user
  constraint whatsapp_phone_numbers_user_id_key unique (user_account_id, id)
);

comment on table public.whatsapp_phone_numbers is
  'WhatsApp numbers of a user. E.164, unique per user, at most one default (which must be active).';
comment on column public.whatsapp_phone_numbers.phone_number is 'E.164 with a leading + (e.g. +77011234567).';
comment on column public.whatsapp_phone_numbers.label is 'Optional name shown to the user, at most 100 characters.';
comment on column public.whatsapp_phone_numbers.is_default is
  'The number used by directions without a number of their own. At most one per user.';
comment on column public.whatsapp_phone_numbers.is_active is
  'Inactive numbers are skipped by resolve_whatsapp_number. The default cannot be inactive.';

create unique index whatsapp_phone_numbers_one_default_per_user
  on public.whatsapp_phone_numbers (user_account_id) where is_default;

revoke all on table public.whatsapp_phone_numbers from anon, authenticated;
grant select, delete on table public.whatsapp_phone_numbers to authenticated;
grant insert (user_account_id, phone_number, label, is_default, is_active) on table public.whatsapp_phone_numbers to authenticated;
grant update (phone_number, label, is_default, is_active) on table public.whatsapp_phone_numbers to authenticated;
grant all on table public.whatsapp_phone_numbers to service_role;

alter table public.whatsapp_phone_numbers enable row level security;

create policy whatsapp_phone_numbers_select_own on public.whatsapp_phone_numbers
  for select to authenticated
  using (user_account_id = (select auth.uid()));

create policy whatsapp_phone_numbers_insert_own on public.whatsapp_phone_numbers
  for insert to authenticated
  with check (user_account_id = (select auth.uid()));

create policy whatsapp_phone_numbers_update_own on public.whatsapp_phone_numbers
  for update to authenticated
  using (user_account_id = (select auth.uid()))
  with check (user_account_id = (select auth.uid()));

create policy whatsapp_phone_numbers_delete_own on public.whatsapp_phone_numbers
  for delete to authenticated
  using (user_account_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
-- Normalisation and the default flag. Duplicates are left to the unique constraint, so that
-- INSERT ... ON CONFLICT works and its message names whatsapp_phone_numbers_user_phone_key.
--
-- Locking: a statement that inserts a number or makes one the default first locks the user's
-- user_accounts row (FOR NO KEY UPDATE, which does not block foreign-key checks), so concurrent
-- writers of one user run one after another and each sees the previous one's result.
-- Statements that only clear a default, rename or deactivate a number take no user lock; this is
-- what keeps the lock order (the user row, then the old default row) free of deadlocks.
create or replace function private.whatsapp_phone_numbers_before_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  becomes_default boolean;
begin
  if tg_op = 'INSERT' or new.phone_number is distinct from old.phone_number then
    new.phone_number := private.normalize_phone(new.phone_number, 'phone_number');
  end if;

  new.label := nullif(pg_catalog.btrim(new.label), '');
  if pg_catalog.char_length(new.label) > 100 then
    raise exception using
      errcode = '22001',
      message = pg_catalog.format('label: at most 100 characters (this one has %s)', pg_catalog.char_length(new.label));
  end if;

  if new.is_default and not new.is_active then
    raise exception using
      errcode = '23514',
      constraint = 'whatsapp_phone_numbers_default_is_active',
      table = 'whatsapp_phone_numbers',
      schema = 'public',
      message = case
        when tg_op = 'UPDATE' and old.is_default and old.is_active then
          'whatsapp_phone_numbers_default_is_active: the default number cannot be deactivated; make another number the default first'
        else
          'whatsapp_phone_numbers_default_is_active: an inactive number cannot be the default'
      end,
      hint = 'Make another number the default first, then deactivate this one.';
  end if;

  becomes_default := new.is_default and (tg_op = 'INSERT' or not old.is_default);

  if tg_op = 'INSERT' or becomes_default then
    perform 1 from public.user_accounts where id = new.user_account_id for no key update;
  end if;

  if tg_op = 'INSERT' and not new.is_default and new.is_active and not exists (
    select 1 from public.whatsapp_phone_numbers n where n.user_account_id = new.user_account_id
  ) then
    new.is_default := true;
    becomes_default := true;
  end if;

  if becomes_default then
    update public.whatsapp_phone_numbers n
    set is_default = false
    where n.user_account_id = new.user_account_id and n.is_default and n.id <> new.id;
  end if;

  return new;
end
$$;
comment on function private.whatsapp_phone_numbers_before_write() is
  'BEFORE INSERT/UPDATE on whatsapp_phone_numbers: normalises phone and label, refuses inactive '
  'defaults, makes the first number the default, moves the default flag.';
revoke all on function private.whatsapp_phone_numbers_before_write() from public, anon, authenticated;

create trigger whatsapp_phone_numbers_before_write
  before insert or update on public.whatsapp_phone_numbers
  for each row execute function private.whatsapp_phone_numbers_before_write();

create trigger whatsapp_phone_numbers_keep_owner
  before update of user_account_id on public.whatsapp_phone_numbers
  for each row when (old.user_account_id is distinct from new.user_account_id)
  execute function private.refuse_owner_change('a WhatsApp number');

create trigger whatsapp_phone_numbers_set_updated_at
  before update on public.whatsapp_phone_numbers
  for each row execute function private.set_updated_at();
