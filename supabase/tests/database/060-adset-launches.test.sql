-- adset_launches: the audit record. Only the service role writes; users read their own rows.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
select plan(21);

select tests.create_user('alice');
select tests.create_user('bob');
create temporary table f as
select tests.add_number('alice', '+77011111111') as num,
       tests.add_direction('alice', 'Implants', null) as dir,
       tests.add_direction('bob', 'Bob dir', null) as bob_dir;
grant select on f to authenticated, service_role, anon;

select tests.authenticate_as_service_role();
select lives_ok(format($$ insert into public.adset_launches (user_account_id, direction_id, whatsapp_phone_number_id, phone_number, number_source, idempotency_key, request)
  values (%L, %L, %L, '+77011111111', 'default', 'k-1', '{"method": "POST", "url": "/v23.0/act_1/adsets", "body": {"name": "x"}}') $$,
  tests.uid('alice'), (select dir from f), (select num from f)), 'the service role records a launch');
select row_eq($$ select status, attempts, used_page_fallback, finished_at from public.adset_launches where idempotency_key = 'k-1' $$,
  row('pending'::public.adset_launch_status, 0, false, null::timestamptz), 'a launch starts pending');
select lives_ok($$ update public.adset_launches set status = 'succeeded', fb_adset_id = '120200000000001', finished_at = now(), attempts = 1
  where idempotency_key = 'k-1' $$, 'and is completed');
select tests.throws_with(format($$ insert into public.adset_launches (user_account_id, idempotency_key) values (%L, 'k-1') $$, tests.uid('alice')),
  '23505', 'adset_launches_user_idempotency_key', 'an idempotency key is unique per user');
select lives_ok(format($$ insert into public.adset_launches (user_account_id, idempotency_key) values (%L, 'k-1') $$, tests.uid('bob')),
  'another user may use the same key');
select lives_ok(format($$ insert into public.adset_launches (user_account_id, status, finished_at, error_code, error_subcode, error_message,
    error_user_title, error_user_msg, fb_trace_id) values (%L, 'failed', now(), 100, 2446885, 'Invalid parameter', 'Требуется Страница', 'Номер ...', 'AsKf') $$,
  tests.uid('alice')), 'a failure keeps Facebook''s code, subcode, message and trace id');
select tests.throws_with(format($$ insert into public.adset_launches (user_account_id, status) values (%L, 'done') $$, tests.uid('alice')),
  '22P02', 'adset_launch_status', 'status is pending, succeeded or failed');
select tests.throws_with(format($$ insert into public.adset_launches (user_account_id, status, finished_at) values (%L, 'succeeded', now()) $$, tests.uid('alice')),
  '23514', 'adset_launches_succeeded_has_adset', 'a success has a Facebook ad set id');
select tests.throws_with(format($$ insert into public.adset_launches (user_account_id, request) values (%L, '{"body": {"access_token": "EAA..."}}') $$, tests.uid('alice')),
  '23514', 'adset_launches_request_without_token', 'the request is stored without the token');
select tests.throws_with(format($$ insert into public.adset_launches (user_account_id, direction_id) values (%L, %L) $$, tests.uid('alice'), (select bob_dir from f)),
  '23503', 'adset_launches_direction_fkey', 'the direction must be the same user''s');
select tests.throws_with(format($$ insert into public.adset_launches (user_account_id, number_source, phone_number) values (%L, 'page_default', '+77011111111') $$, tests.uid('alice')),
  '23514', 'adset_launches_page_default_without_number', 'page_default records no number (Facebook used the Page''s own)');
select tests.throws_with(format($$ insert into public.adset_launches (user_account_id, number_source, phone_number, used_page_fallback) values (%L, 'default', '+77011111111', true) $$, tests.uid('alice')),
  '23514', 'adset_launches_page_fallback_is_page_default', 'a Page fallback is recorded as page_default');
select lives_ok(format($$ insert into public.adset_launches (user_account_id, number_source, used_page_fallback, status, fb_adset_id, finished_at, error_subcode, error_message)
  values (%L, 'page_default', true, 'succeeded', '120200000000002', now(), 1487246, 'whatsapp_number_rejected: ...') $$, tests.uid('alice')),
  'a launch that fell back to the Page''s number is recorded');
select tests.throws_with(format($$ update public.adset_launches set user_account_id = %L where user_account_id = %L and idempotency_key = 'k-1' $$, tests.uid('bob'), tests.uid('alice')),
  '42501', '^user_account_id: a launch cannot be moved to another user$', 'a launch never changes owner');

-- users read their own rows and write nothing
select tests.authenticate_as('alice');
select is((select count(*)::int from public.adset_launches), 3, 'a user sees its own launches');
select is_empty($$ select 1 from public.adset_launches where user_account_id <> auth.uid() $$, 'and no one else''s');
select throws_ok(format($$ insert into public.adset_launches (user_account_id) values (%L) $$, tests.uid('alice')), '42501', null,
  'a user cannot record a launch');
select throws_ok($$ update public.adset_launches set status = 'failed' $$, '42501', null, 'nor change one');
select throws_ok($$ delete from public.adset_launches $$, '42501', null, 'nor delete one');

-- the audit outlives the direction and the number
select tests.clear_authentication();
delete from public.account_directions where id = (select dir from f);
select row_eq($$ select direction_id, whatsapp_phone_number_id, phone_number from public.adset_launches where idempotency_key = 'k-1' and user_account_id = tests.uid('alice') $$,
  row(null::uuid, (select num from f), '+77011111111'::text), 'deleting the direction keeps the launch (direction_id set null)');
delete from public.whatsapp_phone_numbers where id = (select num from f);
select row_eq($$ select whatsapp_phone_number_id, phone_number from public.adset_launches where idempotency_key = 'k-1' and user_account_id = tests.uid('alice') $$,
  row(null::uuid, '+77011111111'::text), 'deleting the number keeps the launch and the number it used');

select * from finish();
rollback;
