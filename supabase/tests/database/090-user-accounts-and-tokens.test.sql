-- user_accounts (created on sign-up) and user_facebook_tokens (write-only for the browser).
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
select plan(33);

-- ---- sign-up ------------------------------------------------------------------------------------
select tests.create_user('alice');
select results_eq($$ select id, email, whatsapp_phone_number, has_facebook_token from public.user_accounts where id = tests.uid('alice') $$,
  $$ select tests.uid('alice'), 'alice@tests.local'::text, null::text, false $$, 'a sign-up creates the user_accounts row');
update auth.users set email = 'alice2@tests.local' where id = tests.uid('alice');
select is((select email from public.user_accounts where id = (select id from auth.users where email = 'alice2@tests.local')), 'alice2@tests.local',
  'an email change follows');
update auth.users set email = 'alice@tests.local' where email = 'alice2@tests.local';
select tests.create_user('bob');

-- ---- what a user may change -------------------------------------------------------------------------
select tests.authenticate_as('alice');
select lives_ok($$ update public.user_accounts set ad_account_id = ' act_1234567890 ', page_id = '1122334455', whatsapp_phone_number = '+77011234567' $$,
  'a user sets its Facebook ad account, Page and legacy number');
select results_eq($$ select ad_account_id, page_id, legacy_whatsapp_phone_e164 from public.user_accounts $$,
  $$ values ('1234567890'::text, '1122334455'::text, '+77011234567'::text) $$, 'the act_ prefix is removed; the legacy number''s E.164 form is derived');
select tests.throws_with($$ update public.user_accounts set page_id = 'my page' $$, '23514', 'user_accounts_page_id_format', 'a Page id is digits');
select tests.throws_with($$ update public.user_accounts set ad_account_id = 'act_x1' $$, '23514', 'user_accounts_ad_account_id_format', 'an ad account id is digits');
select tests.throws_with($$ update public.user_accounts set has_facebook_token = true $$, '42501', 'permission denied', 'has_facebook_token is not writable');
select tests.throws_with($$ update public.user_accounts set email = 'x@y.z' $$, '42501', 'permission denied', 'email is not writable');
select tests.throws_with(format($$ insert into public.user_accounts (id) values (%L) $$, gen_random_uuid()), '42501', 'permission denied',
  'a user cannot create an account row');
select tests.throws_with($$ delete from public.user_accounts $$, '42501', 'permission denied', 'nor delete one');
select is(tests.row_count(format($$ update public.user_accounts set page_id = '1' where id = %L $$, tests.uid('bob'))), 0::bigint,
  'another user''s row is not updated');

-- ---- the token -----------------------------------------------------------------------------------------
select lives_ok($$ insert into public.user_facebook_tokens (access_token) values ('  EAA-first ') $$, 'a user stores its token');
select results_eq($$ select user_account_id, access_token from public.user_facebook_tokens $$, $$ select tests.uid('alice'), null::text $$,
  'the row belongs to the user (default auth.uid()) and its access_token reads back as null');
select is((select has_facebook_token from public.user_accounts), true, 'has_facebook_token turns on');
select lives_ok($$ insert into public.user_facebook_tokens (access_token) values ('EAA-second')
  on conflict (user_account_id) do update set access_token = excluded.access_token $$, 'and replaces it with an upsert (as PostgREST does)');
select results_eq($$ insert into public.user_facebook_tokens (access_token) values ('EAA-third')
  on conflict (user_account_id) do update set access_token = excluded.access_token returning access_token $$,
  $$ values (null::text) $$, 'returning gives null, not the token');
select is_empty($$ select 1 from public.user_facebook_tokens where access_token like 'EAA%' $$, 'a filter cannot probe the token');
select lives_ok($$ insert into public.user_facebook_tokens (access_token) values ('EAA-ignored') on conflict (user_account_id) do nothing $$,
  'an insert that ignores duplicates');
select lives_ok($$ update public.user_facebook_tokens set access_token = 'EAA-fourth' $$, 'an update sets a new token');
select tests.throws_with($$ select access_token from private.facebook_access_tokens $$, '42501', 'permission denied',
  'the stored token is out of reach');
select tests.throws_with(format($$ insert into public.user_facebook_tokens (user_account_id, access_token) values (%L, 'EAA-evil') $$, tests.uid('bob')),
  '42501', 'row-level security', 'a user cannot set another user''s token');
select tests.throws_with($$ insert into public.user_facebook_tokens (access_token) values ('  ') $$, '23514', '^access_token: ',
  'a blank token is refused');
select tests.throws_with($$ update public.user_facebook_tokens set access_token = '' $$, '23514', '^access_token: ',
  'also on update');

select tests.clear_authentication();
select is((select access_token from private.facebook_access_tokens where user_account_id = tests.uid('alice')), 'EAA-fourth',
  'server-side, the latest token is stored trimmed; ignored duplicates replaced nothing');
select is_empty($$ select 1 from public.user_facebook_tokens where access_token is not null $$, 'no token is ever kept in the public table');
select tests.authenticate_as_service_role();
select is((select access_token from private.facebook_access_tokens where user_account_id = tests.uid('alice')), 'EAA-fourth',
  'the service role reads it');
select tests.throws_with(format($$ update public.user_facebook_tokens set user_account_id = %L, access_token = 'EAA-moved' where user_account_id = %L $$,
  tests.uid('bob'), tests.uid('alice')),
  '42501', '^user_account_id: a token cannot be moved to another user$', 'a token row never changes owner, not even for the service role');
select is_empty(format($$ select 1 from private.facebook_access_tokens where user_account_id = %L $$, tests.uid('bob')),
  'and the refused move stored nothing for the other user');

select tests.authenticate_as('alice');
select lives_ok($$ delete from public.user_facebook_tokens $$, 'a user can remove its token (disconnect)');
select is((select has_facebook_token from public.user_accounts), false, 'has_facebook_token turns off');
select tests.clear_authentication();
select is_empty(format($$ select 1 from private.facebook_access_tokens where user_account_id = %L $$, tests.uid('alice')),
  'and the stored token is gone');

select tests.authenticate_as('bob');
select is_empty($$ select user_account_id from public.user_facebook_tokens $$, 'another user sees no token row');
select tests.authenticate_as_anon();
select throws_ok($$ select user_account_id from public.user_facebook_tokens $$, '42501', null, 'anon cannot touch tokens');

select * from finish();
rollback;
