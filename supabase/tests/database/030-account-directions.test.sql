-- account_directions: objectives, budgets, name, campaign id, targeting object, the number must be
-- the same user's (composite foreign key, ON DELETE SET NULL (whatsapp_phone_number_id)).
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
select plan(22);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.add_number('alice', '+77011234567', 'Alice office');
select tests.add_number('bob', '+77019999999', 'Bob office');

select tests.authenticate_as('alice');

select lives_ok($$ insert into public.account_directions (name, objective, daily_budget_cents, target_cpl_cents, fb_campaign_id, default_settings)
  values ('  Implants ', 'whatsapp', 500000, 150000, '120210000000000001', '{"targeting": {"geo_locations": {"countries": ["KZ"]}}}') $$,
  'a direction is created');
select row_eq($$ select name, user_account_id, is_active, whatsapp_phone_number_id, allow_page_number_fallback
                 from public.account_directions $$,
  row('Implants'::text, tests.uid('alice'), true, null::uuid, false),
  'name trimmed; owner from auth.uid(); active; no own number; no page fallback by default');

select set_eq($$ select unnest(enum_range(null::public.direction_objective))::text $$,
  array['whatsapp', 'lead_forms', 'site_leads', 'instagram_traffic'], 'the objectives are a constrained set');
select lives_ok($$ insert into public.account_directions (name, objective, daily_budget_cents) values
  ('Forms', 'lead_forms', 1), ('Site', 'site_leads', 1), ('Insta', 'instagram_traffic', 1) $$,
  'every objective is accepted');
select throws_ok($$ insert into public.account_directions (name, objective, daily_budget_cents) values ('X', 'tv_ads', 100) $$,
  '22P02', null, 'an unknown objective is refused');

select tests.throws_with($$ insert into public.account_directions (name, daily_budget_cents) values ('X', 0) $$,
  '23514', 'account_directions_daily_budget_positive', 'a zero daily budget is refused');
select tests.throws_with($$ insert into public.account_directions (name, daily_budget_cents) values ('X', -100) $$,
  '23514', 'account_directions_daily_budget_positive', 'a negative daily budget is refused');
select tests.throws_with($$ insert into public.account_directions (name, daily_budget_cents, target_cpl_cents) values ('X', 100, 0) $$,
  '23514', 'account_directions_target_cpl_positive', 'a zero target CPL is refused');
select throws_ok($$ insert into public.account_directions (name, daily_budget_cents) values ('X', '10.5') $$,
  '22P02', null, 'a fractional budget is refused (integers only, as PostgREST passes JSON numbers)');
select tests.throws_with($$ insert into public.account_directions (name, daily_budget_cents) values ('X', null) $$,
  '23502', 'daily_budget_cents', 'a daily budget is required');
select tests.throws_with($$ insert into public.account_directions (name, daily_budget_cents) values ('   ', 100) $$,
  '23514', 'account_directions_name_length', 'a blank name is refused');
select tests.throws_with($$ insert into public.account_directions (name, daily_budget_cents, fb_campaign_id) values ('X', 100, 'act_12') $$,
  '23514', 'account_directions_fb_campaign_id_format', 'a campaign id must be digits');
select tests.throws_with($$ insert into public.account_directions (name, daily_budget_cents, default_settings) values ('X', 100, '[1]') $$,
  '23514', 'account_directions_default_settings_object', 'default_settings must be a JSON object');

-- the number must be the same user's
select lives_ok(format($$ update public.account_directions set whatsapp_phone_number_id = %L where name = 'Implants' $$,
  (select id from public.whatsapp_phone_numbers where phone_number = '+77011234567')),
  'a direction can use one of its user''s numbers');
select tests.clear_authentication();
select tests.authenticate_as('alice');
select tests.throws_with(format($$ update public.account_directions set whatsapp_phone_number_id = %L where name = 'Implants' $$,
  (select tests.add_number('bob', '+77018888888'))),
  '23503', 'account_directions_whatsapp_phone_number_fkey', 'another user''s number is refused (composite foreign key)');
select tests.throws_with(format($$ insert into public.account_directions (name, daily_budget_cents, whatsapp_phone_number_id) values ('X', 100, %L) $$,
  gen_random_uuid()), '23503', 'account_directions_whatsapp_phone_number_fkey', 'an unknown number is refused');

select is(
  (select pg_get_constraintdef(oid) from pg_constraint where conname = 'account_directions_whatsapp_phone_number_fkey'),
  'FOREIGN KEY (user_account_id, whatsapp_phone_number_id) REFERENCES whatsapp_phone_numbers(user_account_id, id) ON DELETE SET NULL (whatsapp_phone_number_id)',
  'the foreign key is composite and sets only the number to null');

-- ON DELETE SET NULL (whatsapp_phone_number_id), seen with the in-use guard out of the way
select tests.clear_authentication();
alter table public.whatsapp_phone_numbers disable trigger whatsapp_phone_numbers_guard_in_use;
delete from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice') and phone_number = '+77011234567';
alter table public.whatsapp_phone_numbers enable trigger whatsapp_phone_numbers_guard_in_use;
select row_eq($$ select user_account_id, whatsapp_phone_number_id from public.account_directions
                 where name = 'Implants' and user_account_id = tests.uid('alice') $$,
  row(tests.uid('alice'), null::uuid), 'deleting the number nulls only the direction''s number, never its owner');

-- the owner cannot be changed
select tests.authenticate_as('alice');
select tests.throws_with(format($$ update public.account_directions set user_account_id = %L $$, tests.uid('bob')),
  '42501', 'permission denied', 'the browser cannot move a direction to another user');
select tests.authenticate_as_service_role();
select tests.throws_with(format($$ update public.account_directions set user_account_id = %L where name = 'Implants' $$, tests.uid('bob')),
  '42501', '^user_account_id: a direction cannot be moved', 'nor can the service role');

-- updated_at
select tests.clear_authentication();
alter table public.account_directions disable trigger account_directions_set_updated_at;
update public.account_directions set updated_at = '2000-01-01';
alter table public.account_directions enable trigger account_directions_set_updated_at;
select tests.authenticate_as('alice');
update public.account_directions set daily_budget_cents = 600000 where name = 'Implants';
select is((select updated_at from public.account_directions where name = 'Implants'), now(), 'updated_at is maintained by the trigger');
select is((select updated_at from public.account_directions where name = 'Forms'), '2000-01-01'::timestamptz, 'and only on the rows updated');

select * from finish();
rollback;
