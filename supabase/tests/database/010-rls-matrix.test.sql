-- The RLS matrix: anon, the owner, another user and the service role against select, insert,
-- update and delete on every table and view, and rpc on every function. Refused writes raise 42501;
-- hidden rows return nothing. One line per cell, grouped by role, then object, then command.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
select plan(152);

select tests.create_user('alice', 'call me');   -- legacy value that cannot be migrated: an issues row
select tests.create_user('bob');
select tests.create_user('carol');
select tests.create_user('dave');
delete from public.user_accounts where id = tests.uid('carol');  -- the service role re-creates it
create temporary table f as
select tests.add_number('alice', '+77010000001', 'Main') as number,
       tests.add_number('alice', '+77010000005', 'Retire me') as retire_number,
       tests.add_number('alice', '+77010000006', 'Retire me too') as spare_number;
alter table f add column direction uuid;
update f set direction = tests.add_direction('alice', 'Implants', number);
insert into public.adset_launches (user_account_id, direction_id, whatsapp_phone_number_id, phone_number, number_source, idempotency_key)
select tests.uid('alice'), direction, number, '+77010000001', 'direction', 'k-1' from f;
insert into public.user_facebook_tokens (user_account_id, access_token) values (tests.uid('alice'), 'EAA-alice');
grant select on f to anon, authenticated, service_role;

-- ==== anon ======================================================================================
select tests.authenticate_as_anon();
-- user_accounts
select throws_ok($q$ select id from public.user_accounts where id = tests.uid('alice') $q$, '42501', null, 'user_accounts: select by anon is refused with 42501');
select throws_ok($q$ insert into public.user_accounts (id) values (tests.uid('carol')) returning id $q$, '42501', null, 'user_accounts: insert by anon is refused with 42501');
select throws_ok($q$ update public.user_accounts set page_id = '42' where id = tests.uid('alice') returning id $q$, '42501', null, 'user_accounts: update by anon is refused with 42501');
select throws_ok($q$ delete from public.user_accounts where id = tests.uid('alice') returning id $q$, '42501', null, 'user_accounts: delete by anon is refused with 42501');
-- user_facebook_tokens
select throws_ok($q$ select user_account_id, updated_at from public.user_facebook_tokens where user_account_id = tests.uid('alice') $q$, '42501', null, 'user_facebook_tokens: select by anon is refused with 42501');
select throws_ok($q$ insert into public.user_facebook_tokens (user_account_id, access_token) values (tests.uid('alice'), 'EAA-evil') returning user_account_id $q$, '42501', null, 'user_facebook_tokens: insert by anon is refused with 42501');
select throws_ok($q$ update public.user_facebook_tokens set access_token = 'EAA-new' where user_account_id = tests.uid('alice') returning user_account_id $q$, '42501', null, 'user_facebook_tokens: update by anon is refused with 42501');
select throws_ok($q$ delete from public.user_facebook_tokens where user_account_id = tests.uid('alice') returning user_account_id $q$, '42501', null, 'user_facebook_tokens: delete by anon is refused with 42501');
-- whatsapp_phone_numbers
select throws_ok($q$ select id from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_phone_numbers: select by anon is refused with 42501');
select throws_ok($q$ insert into public.whatsapp_phone_numbers (user_account_id, phone_number) values (tests.uid('alice'), '+77010000003') returning id $q$, '42501', null, 'whatsapp_phone_numbers: insert by anon is refused with 42501');
select throws_ok($q$ update public.whatsapp_phone_numbers set label = 'Main office' where user_account_id = tests.uid('alice') and label like 'Main%' returning id $q$, '42501', null, 'whatsapp_phone_numbers: update by anon is refused with 42501');
select throws_ok($q$ delete from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice') and label = 'Spare' returning id $q$, '42501', null, 'whatsapp_phone_numbers: delete by anon is refused with 42501');
-- account_directions
select throws_ok($q$ select id from public.account_directions where user_account_id = tests.uid('alice') $q$, '42501', null, 'account_directions: select by anon is refused with 42501');
select throws_ok($q$ insert into public.account_directions (user_account_id, name, daily_budget_cents) values (tests.uid('alice'), 'Evil', 100) returning id $q$, '42501', null, 'account_directions: insert by anon is refused with 42501');
select throws_ok($q$ update public.account_directions set daily_budget_cents = 200 where user_account_id = tests.uid('alice') returning id $q$, '42501', null, 'account_directions: update by anon is refused with 42501');
select throws_ok($q$ delete from public.account_directions where user_account_id = tests.uid('alice') and name = 'Spare' returning id $q$, '42501', null, 'account_directions: delete by anon is refused with 42501');
-- adset_launches
select throws_ok($q$ select id from public.adset_launches where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launches: select by anon is refused with 42501');
select throws_ok($q$ insert into public.adset_launches (user_account_id, idempotency_key) values (tests.uid('alice'), 'y') returning id $q$, '42501', null, 'adset_launches: insert by anon is refused with 42501');
select throws_ok($q$ update public.adset_launches set attempts = 2 where user_account_id = tests.uid('alice') returning id $q$, '42501', null, 'adset_launches: update by anon is refused with 42501');
select throws_ok($q$ delete from public.adset_launches where user_account_id = tests.uid('alice') and idempotency_key = 'z' returning id $q$, '42501', null, 'adset_launches: delete by anon is refused with 42501');
-- direction_whatsapp_routes (view)
select throws_ok($q$ select direction_id from public.direction_whatsapp_routes where user_account_id = tests.uid('alice') $q$, '42501', null, 'direction_whatsapp_routes: select by anon is refused with 42501');
select throws_ok($q$ insert into public.direction_whatsapp_routes (direction_id) values (gen_random_uuid()) $q$, '42501', null, 'direction_whatsapp_routes: insert by anon is refused with 42501');
select throws_ok($q$ update public.direction_whatsapp_routes set direction_id = direction_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'direction_whatsapp_routes: update by anon is refused with 42501');
select throws_ok($q$ delete from public.direction_whatsapp_routes where user_account_id = tests.uid('alice') $q$, '42501', null, 'direction_whatsapp_routes: delete by anon is refused with 42501');
-- whatsapp_number_usage (view)
select throws_ok($q$ select whatsapp_phone_number_id from public.whatsapp_number_usage where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_number_usage: select by anon is refused with 42501');
select throws_ok($q$ insert into public.whatsapp_number_usage (whatsapp_phone_number_id) values (gen_random_uuid()) $q$, '42501', null, 'whatsapp_number_usage: insert by anon is refused with 42501');
select throws_ok($q$ update public.whatsapp_number_usage set whatsapp_phone_number_id = whatsapp_phone_number_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_number_usage: update by anon is refused with 42501');
select throws_ok($q$ delete from public.whatsapp_number_usage where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_number_usage: delete by anon is refused with 42501');
-- adset_launch_history (view)
select throws_ok($q$ select id from public.adset_launch_history where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launch_history: select by anon is refused with 42501');
select throws_ok($q$ insert into public.adset_launch_history (id) values (gen_random_uuid()) $q$, '42501', null, 'adset_launch_history: insert by anon is refused with 42501');
select throws_ok($q$ update public.adset_launch_history set id = id where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launch_history: update by anon is refused with 42501');
select throws_ok($q$ delete from public.adset_launch_history where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launch_history: delete by anon is refused with 42501');
-- legacy_whatsapp_migration_issues (view)
select throws_ok($q$ select user_account_id from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('alice') $q$, '42501', null, 'legacy_whatsapp_migration_issues: select by anon is refused with 42501');
select throws_ok($q$ insert into public.legacy_whatsapp_migration_issues (user_account_id) values (gen_random_uuid()) $q$, '42501', null, 'legacy_whatsapp_migration_issues: insert by anon is refused with 42501');
select throws_ok($q$ update public.legacy_whatsapp_migration_issues set user_account_id = user_account_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'legacy_whatsapp_migration_issues: update by anon is refused with 42501');
select throws_ok($q$ delete from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('alice') $q$, '42501', null, 'legacy_whatsapp_migration_issues: delete by anon is refused with 42501');
-- rpc
select throws_ok($q$ select * from public.resolve_whatsapp_number((select direction from f)) $q$, '42501', null, 'rpc resolve_whatsapp_number by anon is refused with 42501');
select throws_ok($q$ select public.retire_whatsapp_number((select retire_number from f)) $q$, '42501', null, 'rpc retire_whatsapp_number by anon is refused with 42501');

-- ==== the owner =================================================================================
select tests.authenticate_as('alice');
-- user_accounts
select isnt_empty($q$ select id from public.user_accounts where id = tests.uid('alice') $q$, 'user_accounts: select by the owner is allowed');
select throws_ok($q$ insert into public.user_accounts (id) values (tests.uid('carol')) returning id $q$, '42501', null, 'user_accounts: insert by the owner is refused with 42501');
select isnt_empty($q$ update public.user_accounts set page_id = '42' where id = tests.uid('alice') returning id $q$, 'user_accounts: update by the owner is allowed');
select throws_ok($q$ delete from public.user_accounts where id = tests.uid('alice') returning id $q$, '42501', null, 'user_accounts: delete by the owner is refused with 42501');
-- user_facebook_tokens
select isnt_empty($q$ select user_account_id, updated_at from public.user_facebook_tokens where user_account_id = tests.uid('alice') $q$, 'user_facebook_tokens: select by the owner is allowed');
select isnt_empty($q$ insert into public.user_facebook_tokens (access_token) values ('EAA-1') on conflict (user_account_id) do update set access_token = excluded.access_token returning user_account_id $q$, 'user_facebook_tokens: insert by the owner is allowed');
select isnt_empty($q$ update public.user_facebook_tokens set access_token = 'EAA-new' where user_account_id = tests.uid('alice') returning user_account_id $q$, 'user_facebook_tokens: update by the owner is allowed');
select isnt_empty($q$ delete from public.user_facebook_tokens where user_account_id = tests.uid('alice') returning user_account_id $q$, 'user_facebook_tokens: delete by the owner is allowed');
-- whatsapp_phone_numbers
select isnt_empty($q$ select id from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice') $q$, 'whatsapp_phone_numbers: select by the owner is allowed');
select isnt_empty($q$ insert into public.whatsapp_phone_numbers (phone_number, label) values ('+77010000002', 'Spare') returning id $q$, 'whatsapp_phone_numbers: insert by the owner is allowed');
select isnt_empty($q$ update public.whatsapp_phone_numbers set label = 'Main office' where user_account_id = tests.uid('alice') and label like 'Main%' returning id $q$, 'whatsapp_phone_numbers: update by the owner is allowed');
select isnt_empty($q$ delete from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice') and label = 'Spare' returning id $q$, 'whatsapp_phone_numbers: delete by the owner is allowed');
-- account_directions
select isnt_empty($q$ select id from public.account_directions where user_account_id = tests.uid('alice') $q$, 'account_directions: select by the owner is allowed');
select isnt_empty($q$ insert into public.account_directions (name, daily_budget_cents) values ('Spare', 100) returning id $q$, 'account_directions: insert by the owner is allowed');
select isnt_empty($q$ update public.account_directions set daily_budget_cents = 200 where user_account_id = tests.uid('alice') returning id $q$, 'account_directions: update by the owner is allowed');
select isnt_empty($q$ delete from public.account_directions where user_account_id = tests.uid('alice') and name = 'Spare' returning id $q$, 'account_directions: delete by the owner is allowed');
-- adset_launches
select isnt_empty($q$ select id from public.adset_launches where user_account_id = tests.uid('alice') $q$, 'adset_launches: select by the owner is allowed');
select throws_ok($q$ insert into public.adset_launches (user_account_id, idempotency_key) values (tests.uid('alice'), 'x') returning id $q$, '42501', null, 'adset_launches: insert by the owner is refused with 42501');
select throws_ok($q$ update public.adset_launches set attempts = 2 where user_account_id = tests.uid('alice') returning id $q$, '42501', null, 'adset_launches: update by the owner is refused with 42501');
select throws_ok($q$ delete from public.adset_launches where user_account_id = tests.uid('alice') and idempotency_key = 'z' returning id $q$, '42501', null, 'adset_launches: delete by the owner is refused with 42501');
-- direction_whatsapp_routes (view)
select isnt_empty($q$ select direction_id from public.direction_whatsapp_routes where user_account_id = tests.uid('alice') $q$, 'direction_whatsapp_routes: select by the owner is allowed');
select throws_ok($q$ insert into public.direction_whatsapp_routes (direction_id) values (gen_random_uuid()) $q$, '42501', null, 'direction_whatsapp_routes: insert by the owner is refused with 42501');
select throws_ok($q$ update public.direction_whatsapp_routes set direction_id = direction_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'direction_whatsapp_routes: update by the owner is refused with 42501');
select throws_ok($q$ delete from public.direction_whatsapp_routes where user_account_id = tests.uid('alice') $q$, '42501', null, 'direction_whatsapp_routes: delete by the owner is refused with 42501');
-- whatsapp_number_usage (view)
select isnt_empty($q$ select whatsapp_phone_number_id from public.whatsapp_number_usage where user_account_id = tests.uid('alice') $q$, 'whatsapp_number_usage: select by the owner is allowed');
select throws_ok($q$ insert into public.whatsapp_number_usage (whatsapp_phone_number_id) values (gen_random_uuid()) $q$, '42501', null, 'whatsapp_number_usage: insert by the owner is refused with 42501');
select throws_ok($q$ update public.whatsapp_number_usage set whatsapp_phone_number_id = whatsapp_phone_number_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_number_usage: update by the owner is refused with 42501');
select throws_ok($q$ delete from public.whatsapp_number_usage where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_number_usage: delete by the owner is refused with 42501');
-- adset_launch_history (view)
select isnt_empty($q$ select id from public.adset_launch_history where user_account_id = tests.uid('alice') $q$, 'adset_launch_history: select by the owner is allowed');
select throws_ok($q$ insert into public.adset_launch_history (id) values (gen_random_uuid()) $q$, '42501', null, 'adset_launch_history: insert by the owner is refused with 42501');
select throws_ok($q$ update public.adset_launch_history set id = id where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launch_history: update by the owner is refused with 42501');
select throws_ok($q$ delete from public.adset_launch_history where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launch_history: delete by the owner is refused with 42501');
-- legacy_whatsapp_migration_issues (view)
select isnt_empty($q$ select user_account_id from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('alice') $q$, 'legacy_whatsapp_migration_issues: select by the owner is allowed');
select throws_ok($q$ insert into public.legacy_whatsapp_migration_issues (user_account_id) values (gen_random_uuid()) $q$, '42501', null, 'legacy_whatsapp_migration_issues: insert by the owner is refused with 42501');
select throws_ok($q$ update public.legacy_whatsapp_migration_issues set user_account_id = user_account_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'legacy_whatsapp_migration_issues: update by the owner is refused with 42501');
select throws_ok($q$ delete from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('alice') $q$, '42501', null, 'legacy_whatsapp_migration_issues: delete by the owner is refused with 42501');
-- rpc
select isnt_empty($q$ select * from public.resolve_whatsapp_number((select direction from f)) $q$, 'rpc resolve_whatsapp_number by the owner resolves the direction');
select lives_ok($q$ select public.retire_whatsapp_number((select spare_number from f)) $q$, 'rpc retire_whatsapp_number by the owner is allowed');

-- ==== another user ==============================================================================
select tests.authenticate_as('bob');
-- user_accounts
select is_empty($q$ select id from public.user_accounts where id = tests.uid('alice') $q$, 'user_accounts: select by another user is sees nothing / touches no row');
select throws_ok($q$ insert into public.user_accounts (id) values (tests.uid('carol')) returning id $q$, '42501', null, 'user_accounts: insert by another user is refused with 42501');
select is_empty($q$ update public.user_accounts set page_id = '42' where id = tests.uid('alice') returning id $q$, 'user_accounts: update by another user is sees nothing / touches no row');
select throws_ok($q$ delete from public.user_accounts where id = tests.uid('alice') returning id $q$, '42501', null, 'user_accounts: delete by another user is refused with 42501');
-- user_facebook_tokens
select is_empty($q$ select user_account_id, updated_at from public.user_facebook_tokens where user_account_id = tests.uid('alice') $q$, 'user_facebook_tokens: select by another user is sees nothing / touches no row');
select throws_ok($q$ insert into public.user_facebook_tokens (user_account_id, access_token) values (tests.uid('alice'), 'EAA-evil') returning user_account_id $q$, '42501', null, 'user_facebook_tokens: insert by another user is refused with 42501');
select is_empty($q$ update public.user_facebook_tokens set access_token = 'EAA-new' where user_account_id = tests.uid('alice') returning user_account_id $q$, 'user_facebook_tokens: update by another user is sees nothing / touches no row');
select is_empty($q$ delete from public.user_facebook_tokens where user_account_id = tests.uid('alice') returning user_account_id $q$, 'user_facebook_tokens: delete by another user is sees nothing / touches no row');
-- whatsapp_phone_numbers
select is_empty($q$ select id from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice') $q$, 'whatsapp_phone_numbers: select by another user is sees nothing / touches no row');
select throws_ok($q$ insert into public.whatsapp_phone_numbers (user_account_id, phone_number) values (tests.uid('alice'), '+77010000003') returning id $q$, '42501', null, 'whatsapp_phone_numbers: insert by another user is refused with 42501');
select is_empty($q$ update public.whatsapp_phone_numbers set label = 'Main office' where user_account_id = tests.uid('alice') and label like 'Main%' returning id $q$, 'whatsapp_phone_numbers: update by another user is sees nothing / touches no row');
select is_empty($q$ delete from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice') and label = 'Spare' returning id $q$, 'whatsapp_phone_numbers: delete by another user is sees nothing / touches no row');
-- account_directions
select is_empty($q$ select id from public.account_directions where user_account_id = tests.uid('alice') $q$, 'account_directions: select by another user is sees nothing / touches no row');
select throws_ok($q$ insert into public.account_directions (user_account_id, name, daily_budget_cents) values (tests.uid('alice'), 'Evil', 100) returning id $q$, '42501', null, 'account_directions: insert by another user is refused with 42501');
select is_empty($q$ update public.account_directions set daily_budget_cents = 200 where user_account_id = tests.uid('alice') returning id $q$, 'account_directions: update by another user is sees nothing / touches no row');
select is_empty($q$ delete from public.account_directions where user_account_id = tests.uid('alice') and name = 'Spare' returning id $q$, 'account_directions: delete by another user is sees nothing / touches no row');
-- adset_launches
select is_empty($q$ select id from public.adset_launches where user_account_id = tests.uid('alice') $q$, 'adset_launches: select by another user is sees nothing / touches no row');
select throws_ok($q$ insert into public.adset_launches (user_account_id, idempotency_key) values (tests.uid('alice'), 'y') returning id $q$, '42501', null, 'adset_launches: insert by another user is refused with 42501');
select throws_ok($q$ update public.adset_launches set attempts = 2 where user_account_id = tests.uid('alice') returning id $q$, '42501', null, 'adset_launches: update by another user is refused with 42501');
select throws_ok($q$ delete from public.adset_launches where user_account_id = tests.uid('alice') and idempotency_key = 'z' returning id $q$, '42501', null, 'adset_launches: delete by another user is refused with 42501');
-- direction_whatsapp_routes (view)
select is_empty($q$ select direction_id from public.direction_whatsapp_routes where user_account_id = tests.uid('alice') $q$, 'direction_whatsapp_routes: select by another user is sees nothing');
select throws_ok($q$ insert into public.direction_whatsapp_routes (direction_id) values (gen_random_uuid()) $q$, '42501', null, 'direction_whatsapp_routes: insert by another user is refused with 42501');
select throws_ok($q$ update public.direction_whatsapp_routes set direction_id = direction_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'direction_whatsapp_routes: update by another user is refused with 42501');
select throws_ok($q$ delete from public.direction_whatsapp_routes where user_account_id = tests.uid('alice') $q$, '42501', null, 'direction_whatsapp_routes: delete by another user is refused with 42501');
-- whatsapp_number_usage (view)
select is_empty($q$ select whatsapp_phone_number_id from public.whatsapp_number_usage where user_account_id = tests.uid('alice') $q$, 'whatsapp_number_usage: select by another user is sees nothing');
select throws_ok($q$ insert into public.whatsapp_number_usage (whatsapp_phone_number_id) values (gen_random_uuid()) $q$, '42501', null, 'whatsapp_number_usage: insert by another user is refused with 42501');
select throws_ok($q$ update public.whatsapp_number_usage set whatsapp_phone_number_id = whatsapp_phone_number_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_number_usage: update by another user is refused with 42501');
select throws_ok($q$ delete from public.whatsapp_number_usage where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_number_usage: delete by another user is refused with 42501');
-- adset_launch_history (view)
select is_empty($q$ select id from public.adset_launch_history where user_account_id = tests.uid('alice') $q$, 'adset_launch_history: select by another user is sees nothing');
select throws_ok($q$ insert into public.adset_launch_history (id) values (gen_random_uuid()) $q$, '42501', null, 'adset_launch_history: insert by another user is refused with 42501');
select throws_ok($q$ update public.adset_launch_history set id = id where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launch_history: update by another user is refused with 42501');
select throws_ok($q$ delete from public.adset_launch_history where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launch_history: delete by another user is refused with 42501');
-- legacy_whatsapp_migration_issues (view)
select is_empty($q$ select user_account_id from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('alice') $q$, 'legacy_whatsapp_migration_issues: select by another user is sees nothing');
select throws_ok($q$ insert into public.legacy_whatsapp_migration_issues (user_account_id) values (gen_random_uuid()) $q$, '42501', null, 'legacy_whatsapp_migration_issues: insert by another user is refused with 42501');
select throws_ok($q$ update public.legacy_whatsapp_migration_issues set user_account_id = user_account_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'legacy_whatsapp_migration_issues: update by another user is refused with 42501');
select throws_ok($q$ delete from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('alice') $q$, '42501', null, 'legacy_whatsapp_migration_issues: delete by another user is refused with 42501');
-- rpc
select is_empty($q$ select * from public.resolve_whatsapp_number((select direction from f)) $q$, 'rpc resolve_whatsapp_number of another user''s direction returns nothing');
select tests.throws_with($q$ select public.retire_whatsapp_number((select retire_number from f)) $q$, 'PT404', '^whatsapp_number_not_found', 'rpc retire_whatsapp_number of another user''s number: not found, like a missing one');

-- ==== the service role ==========================================================================
select tests.clear_authentication();
insert into public.user_facebook_tokens (user_account_id, access_token) values (tests.uid('alice'), 'EAA-alice');  -- the owner disconnected above
select tests.authenticate_as_service_role();
-- user_accounts
select isnt_empty($q$ select id from public.user_accounts where id = tests.uid('alice') $q$, 'user_accounts: select by the service role is allowed');
select isnt_empty($q$ insert into public.user_accounts (id) values (tests.uid('carol')) returning id $q$, 'user_accounts: insert by the service role is allowed');
select isnt_empty($q$ update public.user_accounts set page_id = '42' where id = tests.uid('alice') returning id $q$, 'user_accounts: update by the service role is allowed');
select isnt_empty($q$ delete from public.user_accounts where id = tests.uid('dave') returning id $q$, 'user_accounts: delete by the service role is allowed');
-- user_facebook_tokens
select isnt_empty($q$ select user_account_id, updated_at from public.user_facebook_tokens where user_account_id = tests.uid('alice') $q$, 'user_facebook_tokens: select by the service role is allowed');
select isnt_empty($q$ insert into public.user_facebook_tokens (user_account_id, access_token) values (tests.uid('carol'), 'EAA-2') returning user_account_id $q$, 'user_facebook_tokens: insert by the service role is allowed');
select isnt_empty($q$ update public.user_facebook_tokens set access_token = 'EAA-new' where user_account_id = tests.uid('alice') returning user_account_id $q$, 'user_facebook_tokens: update by the service role is allowed');
select isnt_empty($q$ delete from public.user_facebook_tokens where user_account_id = tests.uid('alice') returning user_account_id $q$, 'user_facebook_tokens: delete by the service role is allowed');
-- whatsapp_phone_numbers
select isnt_empty($q$ select id from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice') $q$, 'whatsapp_phone_numbers: select by the service role is allowed');
select isnt_empty($q$ insert into public.whatsapp_phone_numbers (user_account_id, phone_number, label) values (tests.uid('alice'), '+77010000004', 'Spare') returning id $q$, 'whatsapp_phone_numbers: insert by the service role is allowed');
select isnt_empty($q$ update public.whatsapp_phone_numbers set label = 'Main office' where user_account_id = tests.uid('alice') and label like 'Main%' returning id $q$, 'whatsapp_phone_numbers: update by the service role is allowed');
select isnt_empty($q$ delete from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice') and label = 'Spare' returning id $q$, 'whatsapp_phone_numbers: delete by the service role is allowed');
-- account_directions
select isnt_empty($q$ select id from public.account_directions where user_account_id = tests.uid('alice') $q$, 'account_directions: select by the service role is allowed');
select isnt_empty($q$ insert into public.account_directions (user_account_id, name, daily_budget_cents) values (tests.uid('alice'), 'Spare', 100) returning id $q$, 'account_directions: insert by the service role is allowed');
select isnt_empty($q$ update public.account_directions set daily_budget_cents = 200 where user_account_id = tests.uid('alice') returning id $q$, 'account_directions: update by the service role is allowed');
select isnt_empty($q$ delete from public.account_directions where user_account_id = tests.uid('alice') and name = 'Spare' returning id $q$, 'account_directions: delete by the service role is allowed');
-- adset_launches
select isnt_empty($q$ select id from public.adset_launches where user_account_id = tests.uid('alice') $q$, 'adset_launches: select by the service role is allowed');
select isnt_empty($q$ insert into public.adset_launches (user_account_id, idempotency_key) values (tests.uid('alice'), 'z') returning id $q$, 'adset_launches: insert by the service role is allowed');
select isnt_empty($q$ update public.adset_launches set attempts = 2 where user_account_id = tests.uid('alice') returning id $q$, 'adset_launches: update by the service role is allowed');
select isnt_empty($q$ delete from public.adset_launches where user_account_id = tests.uid('alice') and idempotency_key = 'z' returning id $q$, 'adset_launches: delete by the service role is allowed');
-- direction_whatsapp_routes (view)
select isnt_empty($q$ select direction_id from public.direction_whatsapp_routes where user_account_id = tests.uid('alice') $q$, 'direction_whatsapp_routes: select by the service role is allowed');
select throws_ok($q$ insert into public.direction_whatsapp_routes (direction_id) values (gen_random_uuid()) $q$, '42501', null, 'direction_whatsapp_routes: insert by the service role is refused with 42501');
select throws_ok($q$ update public.direction_whatsapp_routes set direction_id = direction_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'direction_whatsapp_routes: update by the service role is refused with 42501');
select throws_ok($q$ delete from public.direction_whatsapp_routes where user_account_id = tests.uid('alice') $q$, '42501', null, 'direction_whatsapp_routes: delete by the service role is refused with 42501');
-- whatsapp_number_usage (view)
select isnt_empty($q$ select whatsapp_phone_number_id from public.whatsapp_number_usage where user_account_id = tests.uid('alice') $q$, 'whatsapp_number_usage: select by the service role is allowed');
select throws_ok($q$ insert into public.whatsapp_number_usage (whatsapp_phone_number_id) values (gen_random_uuid()) $q$, '42501', null, 'whatsapp_number_usage: insert by the service role is refused with 42501');
select throws_ok($q$ update public.whatsapp_number_usage set whatsapp_phone_number_id = whatsapp_phone_number_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_number_usage: update by the service role is refused with 42501');
select throws_ok($q$ delete from public.whatsapp_number_usage where user_account_id = tests.uid('alice') $q$, '42501', null, 'whatsapp_number_usage: delete by the service role is refused with 42501');
-- adset_launch_history (view)
select isnt_empty($q$ select id from public.adset_launch_history where user_account_id = tests.uid('alice') $q$, 'adset_launch_history: select by the service role is allowed');
select throws_ok($q$ insert into public.adset_launch_history (id) values (gen_random_uuid()) $q$, '42501', null, 'adset_launch_history: insert by the service role is refused with 42501');
select throws_ok($q$ update public.adset_launch_history set id = id where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launch_history: update by the service role is refused with 42501');
select throws_ok($q$ delete from public.adset_launch_history where user_account_id = tests.uid('alice') $q$, '42501', null, 'adset_launch_history: delete by the service role is refused with 42501');
-- legacy_whatsapp_migration_issues (view)
select isnt_empty($q$ select user_account_id from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('alice') $q$, 'legacy_whatsapp_migration_issues: select by the service role is allowed');
select throws_ok($q$ insert into public.legacy_whatsapp_migration_issues (user_account_id) values (gen_random_uuid()) $q$, '42501', null, 'legacy_whatsapp_migration_issues: insert by the service role is refused with 42501');
select throws_ok($q$ update public.legacy_whatsapp_migration_issues set user_account_id = user_account_id where user_account_id = tests.uid('alice') $q$, '42501', null, 'legacy_whatsapp_migration_issues: update by the service role is refused with 42501');
select throws_ok($q$ delete from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('alice') $q$, '42501', null, 'legacy_whatsapp_migration_issues: delete by the service role is refused with 42501');
-- rpc
select isnt_empty($q$ select * from public.resolve_whatsapp_number((select direction from f)) $q$, 'rpc resolve_whatsapp_number by the service role resolves the direction');
select lives_ok($q$ select public.retire_whatsapp_number((select retire_number from f)) $q$, 'rpc retire_whatsapp_number by the service role is allowed');

select * from finish();
rollback;
