-- whatsapp_phone_numbers: format, labels, uniqueness per user, one default per user, first number
-- becomes default, default must be active, no silent promotion, updated_at.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
select plan(46);

select tests.create_user('alice');
select tests.create_user('bob');

select tests.authenticate_as('alice');

-- ---- format -----------------------------------------------------------------------------------
select lives_ok($$ insert into public.whatsapp_phone_numbers (phone_number, label) values ('+77011234567', 'Office') $$,
  'an E.164 number is accepted');
select is((select phone_number from public.whatsapp_phone_numbers where label = 'Office'), '+77011234567', 'stored as given');
select is((select user_account_id from public.whatsapp_phone_numbers where label = 'Office'), tests.uid('alice'),
  'user_account_id defaults to auth.uid()');

select lives_ok($$ insert into public.whatsapp_phone_numbers (phone_number, label) values
  ('+7 (701) 765-43-21', 'spaces dashes brackets'),
  ('00 7 702.111.22.33', 'dots and 00'),
  (E'+7\u00a0747\u2011000\u201311\u201422', 'unicode spaces and dashes') $$,
  'separators and a leading 00 are accepted');
select results_eq(
  $$ select phone_number from public.whatsapp_phone_numbers where label <> 'Office' order by created_at, phone_number $$,
  $$ values ('+77017654321'), ('+77021112233'), ('+77470001122') $$,
  'and normalised to E.164 with +');

select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number) values ('8 701 123 45 67') $$,
  '22023', '^phone_number: .*expected international format like \+77011234567', 'a number without country code is refused, naming field and format');
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number) values ('+7 701 CALL ME') $$,
  '22023', '^phone_number: .*only digits', 'letters are refused');
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number) values ('+1234567') $$,
  '22023', '^phone_number: .*fewer than 8 digits', 'fewer than 8 digits are refused');
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number) values ('+1234567890123456') $$,
  '22023', '^phone_number: .*more than 15 digits', 'more than 15 digits are refused');
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number) values ('+0123456789') $$,
  '22023', '^phone_number: .*never starts with 0', 'a country code starting with 0 is refused');
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number) values ('   ') $$,
  '22023', '^phone_number: .*empty', 'a blank number is refused');
select tests.throws_with($$ update public.whatsapp_phone_numbers set phone_number = '+7 701 12x' where label = 'Office' $$,
  '22023', '^phone_number: ', 'an update is validated too');
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number) values (null) $$,
  '22023', '^phone_number: .*empty', 'a missing number is refused');

-- ---- labels -----------------------------------------------------------------------------------
select lives_ok($$ insert into public.whatsapp_phone_numbers (phone_number, label) values ('+77030000001', '   Reception desk  ') $$,
  'a label with surrounding spaces is accepted');
select is((select label from public.whatsapp_phone_numbers where phone_number = '+77030000001'), 'Reception desk', 'and trimmed');
select lives_ok($$ insert into public.whatsapp_phone_numbers (phone_number, label) values ('+77030000002', '    ') $$,
  'a blank label is accepted');
select is((select label from public.whatsapp_phone_numbers where phone_number = '+77030000002'), null, 'and stored as null');
select lives_ok($$ insert into public.whatsapp_phone_numbers (phone_number, label) values ('+77030000003', repeat('я', 100)) $$,
  'a label of 100 characters is accepted');
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number, label) values ('+77030000004', repeat('я', 101)) $$,
  '22001', '^label: at most 100 characters', 'a label of 101 characters is refused');

-- ---- uniqueness -------------------------------------------------------------------------------
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number) values ('+77011234567') $$,
  '23505', 'whatsapp_phone_numbers_user_phone_key', 'the same number twice for one user is refused');
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number) values ('+7 701 123-45-67') $$,
  '23505', 'whatsapp_phone_numbers_user_phone_key', 'duplicates are detected after normalisation');
select tests.throws_with($$ update public.whatsapp_phone_numbers set phone_number = '+77011234567' where phone_number = '+77030000001' $$,
  '23505', 'whatsapp_phone_numbers_user_phone_key', 'renumbering onto an existing number is refused');

select tests.authenticate_as('bob');
select lives_ok($$ insert into public.whatsapp_phone_numbers (phone_number, label) values ('+77011234567', 'Bob office') $$,
  'another user may have the same number');

-- ---- defaults ---------------------------------------------------------------------------------
select is((select is_default from public.whatsapp_phone_numbers where phone_number = '+77011234567'), true,
  'the first number a user adds becomes the default');
select lives_ok($$ insert into public.whatsapp_phone_numbers (phone_number, is_default) values ('+77012220000', true) $$,
  'adding a number as the new default works');
select results_eq($$ select phone_number from public.whatsapp_phone_numbers where is_default $$, $$ values ('+77012220000') $$,
  'and clears the previous default');
select lives_ok($$ update public.whatsapp_phone_numbers set is_default = true where phone_number = '+77011234567' $$,
  'setting another default works');
select results_eq($$ select phone_number from public.whatsapp_phone_numbers where is_default $$, $$ values ('+77011234567') $$,
  'exactly one default after switching');
select lives_ok($$ update public.whatsapp_phone_numbers set is_default = true where phone_number = '+77011234567' $$,
  'setting the current default again is a no-op');

-- a default cannot be inactive
select tests.throws_with($$ update public.whatsapp_phone_numbers set is_active = false where is_default $$,
  '23514', '^whatsapp_phone_numbers_default_is_active: the default number cannot be deactivated; make another number the default first',
  'deactivating the default is refused with advice');
select tests.throws_with($$ insert into public.whatsapp_phone_numbers (phone_number, is_default, is_active) values ('+77012220001', true, false) $$,
  '23514', '^whatsapp_phone_numbers_default_is_active', 'an inactive number cannot be added as default');
select lives_ok($$ update public.whatsapp_phone_numbers set is_active = false where phone_number = '+77012220000' $$,
  'a non-default number can be deactivated');
select tests.throws_with($$ update public.whatsapp_phone_numbers set is_default = true where phone_number = '+77012220000' $$,
  '23514', '^whatsapp_phone_numbers_default_is_active', 'an inactive number cannot become the default');
select lives_ok($$ update public.whatsapp_phone_numbers set is_default = false, is_active = false where phone_number = '+77011234567' $$,
  'unsetting the default and deactivating it in one update is allowed');
select is_empty($$ select 1 from public.whatsapp_phone_numbers where is_default $$,
  'un-setting the default promotes no other number');

-- deleting the default promotes nothing
select tests.clear_authentication();
select tests.create_user('carol');
select tests.add_number('carol', '+77050000001');
select tests.add_number('carol', '+77050000002');
select tests.authenticate_as('carol');
select lives_ok($$ delete from public.whatsapp_phone_numbers where is_default $$, 'the default can be deleted');
select is_empty($$ select 1 from public.whatsapp_phone_numbers where is_default $$,
  'deleting the default promotes no other number');
select lives_ok($$ insert into public.whatsapp_phone_numbers (phone_number) values ('+77050000003') $$,
  'a number added afterwards');
select is((select is_default from public.whatsapp_phone_numbers where phone_number = '+77050000003'), false,
  'is not made the default: only a user''s very first number is');

-- the partial unique index is the hard guarantee, even without the trigger
select tests.clear_authentication();
alter table public.whatsapp_phone_numbers disable trigger whatsapp_phone_numbers_before_write;
select throws_ok($$ update public.whatsapp_phone_numbers set is_default = true where user_account_id = tests.uid('carol') $$,
  '23505', null, 'two defaults for one user violate whatsapp_phone_numbers_one_default_per_user');
alter table public.whatsapp_phone_numbers enable trigger whatsapp_phone_numbers_before_write;

-- ---- updated_at -------------------------------------------------------------------------------
select tests.clear_authentication();
alter table public.whatsapp_phone_numbers disable trigger whatsapp_phone_numbers_set_updated_at;
update public.whatsapp_phone_numbers set updated_at = '2000-01-01' where user_account_id = tests.uid('alice');
alter table public.whatsapp_phone_numbers enable trigger whatsapp_phone_numbers_set_updated_at;
select tests.authenticate_as('alice');
update public.whatsapp_phone_numbers set label = 'Office 2' where phone_number = '+77011234567';
select is((select updated_at from public.whatsapp_phone_numbers where phone_number = '+77011234567'), now(),
  'updated_at is maintained by the trigger');
select is((select updated_at from public.whatsapp_phone_numbers where phone_number = '+77030000001'), '2000-01-01'::timestamptz,
  'and only on the rows updated');
select tests.throws_with($$ update public.whatsapp_phone_numbers set updated_at = now() $$, '42501', 'permission denied',
  'the browser cannot write updated_at');

-- ---- owner ------------------------------------------------------------------------------------
select tests.throws_with(format($$ update public.whatsapp_phone_numbers set user_account_id = %L $$, tests.uid('bob')),
  '42501', 'permission denied', 'the browser cannot move a number to another user');
select tests.authenticate_as_service_role();
select tests.throws_with(format($$ update public.whatsapp_phone_numbers set user_account_id = %L where user_account_id = %L and phone_number = '+77030000002' $$,
  tests.uid('bob'), tests.uid('alice')),
  '42501', '^user_account_id: a WhatsApp number cannot be moved to another user$', 'nor can the service role');
select is(tests.row_count(format($$ update public.whatsapp_phone_numbers set user_account_id = user_account_id where user_account_id = %L $$, tests.uid('alice'))),
  (select count(*) from public.whatsapp_phone_numbers where user_account_id = tests.uid('alice')),
  'naming the owner without changing it is allowed');

select * from finish();
rollback;
