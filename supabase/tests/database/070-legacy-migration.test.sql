-- The legacy migration (private.migrate_legacy_whatsapp_numbers, which the migration file ran once):
-- valid, formatted, invalid, duplicate and already-migrated values; idempotence; the issues view.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
select plan(21);

select tests.create_user('valid', '+77011234567');
select tests.create_user('formatted', ' 8-(701)-123 ');               -- no country code: invalid
select tests.create_user('spaced', '00 7 (701) 765-43-21');
select tests.create_user('invalid', 'call me');
select tests.create_user('blank', '   ');
select tests.create_user('dup_no_default', '+7 702 111 22 33');      -- has this number, no default
select tests.create_user('dup_default', '+77023334455');             -- has this number as default
select tests.create_user('other_default', '+77024445566');           -- has another default
select tests.create_user('twin', '+77011234567');                    -- same number as 'valid'
select tests.add_number('dup_no_default', '+77021112233', 'Mine');
update public.whatsapp_phone_numbers set is_default = false where user_account_id = tests.uid('dup_no_default');
select tests.add_number('dup_default', '+77023334455', 'Mine');
select tests.add_number('other_default', '+77029990000', 'Chosen');

create temporary table first_run as
select r.*, u.email from private.migrate_legacy_whatsapp_numbers() r join auth.users u on u.id = r.user_account_id
where u.email like '%@tests.local';

select results_eq($$ select split_part(email, '@', 1), phone_number, outcome from first_run order by 1 $$,
  $$ values ('dup_default', '+77023334455', 'already_present'),
            ('dup_no_default', '+77021112233', 'promoted_existing'),
            ('formatted', null, 'invalid_format'),
            ('invalid', null, 'invalid_format'),
            ('other_default', '+77024445566', 'inserted'),
            ('spaced', '+77017654321', 'inserted_default'),
            ('twin', '+77011234567', 'inserted_default'),
            ('valid', '+77011234567', 'inserted_default') $$,
  'each legacy value gets its outcome; blank values are ignored');

select results_eq($$ select phone_number, label, is_default, is_active from public.whatsapp_phone_numbers where user_account_id = tests.uid('valid') $$,
  $$ values ('+77011234567'::text, 'Основной'::text, true, true) $$, 'a valid value becomes the user''s default, labelled Основной');
select results_eq($$ select phone_number, is_default from public.whatsapp_phone_numbers where user_account_id = tests.uid('spaced') $$,
  $$ values ('+77017654321'::text, true) $$, 'a formatted value is normalised like any input');
select results_eq($$ select phone_number from public.whatsapp_phone_numbers where user_account_id = tests.uid('twin') $$,
  $$ values ('+77011234567'::text) $$, 'two users with the same legacy number each get it');
select results_eq($$ select phone_number, label, is_default from public.whatsapp_phone_numbers where user_account_id = tests.uid('dup_no_default') $$,
  $$ values ('+77021112233'::text, 'Mine'::text, true) $$, 'a number the user already has is not duplicated, and becomes the default when there is none');
select results_eq($$ select phone_number, is_default from public.whatsapp_phone_numbers where user_account_id = tests.uid('dup_default') $$,
  $$ values ('+77023334455'::text, true) $$, 'a number the user already has as default is left alone');
select results_eq($$ select phone_number, is_default from public.whatsapp_phone_numbers where user_account_id = tests.uid('other_default') order by phone_number $$,
  $$ values ('+77024445566'::text, false), ('+77029990000', true) $$, 'a user''s own choice of default is kept; the legacy number is added beside it');
select is_empty($$ select 1 from public.whatsapp_phone_numbers where user_account_id in (tests.uid('invalid'), tests.uid('formatted'), tests.uid('blank')) $$,
  'invalid and blank values create no number');
select results_eq($$ select whatsapp_phone_number from public.user_accounts where id in (tests.uid('valid'), tests.uid('invalid'), tests.uid('spaced')) order by email $$,
  $$ values ('call me'::text), ('00 7 (701) 765-43-21'), ('+77011234567') $$, 'the legacy column is kept as it was (fallback level three)');

-- idempotent
create temporary table before_second as select ctid::text as version, * from public.whatsapp_phone_numbers;
create temporary table second_run as
select r.* from private.migrate_legacy_whatsapp_numbers() r join auth.users u on u.id = r.user_account_id where u.email like '%@tests.local';
select set_eq($$ select outcome from second_run $$, array['already_present', 'invalid_format'], 'a second run finds everything already migrated');
select set_eq($$ select id, phone_number, label, is_default, is_active, updated_at from public.whatsapp_phone_numbers $$,
  $$ select id, phone_number, label, is_default, is_active, updated_at from before_second $$, 'and changes nothing');
select set_eq($$ select id, ctid::text as version from public.whatsapp_phone_numbers $$, $$ select id, version from before_second $$,
  'not even a rewrite of the same values (every row keeps its tuple: updated_at alone could not tell, now() is fixed per transaction)');

-- routing is the same before and after for each migrated user
select tests.clear_authentication();
select tests.create_user('routed', '+7 701 000 00 01');
select tests.add_direction('routed', 'Direction', null);
create temporary table route_before as select r.phone_number from public.direction_whatsapp_routes r where r.user_account_id = tests.uid('routed');
select is((select source::text from public.direction_whatsapp_routes where user_account_id = tests.uid('routed')), 'legacy', 'before: the legacy level');
select count(*) from private.migrate_legacy_whatsapp_numbers();
select is((select source::text from public.direction_whatsapp_routes where user_account_id = tests.uid('routed')), 'default', 'after: the default level');
select is((select phone_number from public.direction_whatsapp_routes where user_account_id = tests.uid('routed')),
  (select phone_number from route_before), 'reaching the same number');

-- the issues view
select results_eq($$ select split_part(u.email, '@', 1), i.legacy_value, i.reason from public.legacy_whatsapp_migration_issues i
                     join auth.users u on u.id = i.user_account_id where u.email like '%@tests.local' order by 1 $$,
  $$ values ('formatted', ' 8-(701)-123 ', 'missing_country_code'), ('invalid', 'call me', 'invalid_characters') $$,
  'values that cannot be migrated are listed with the reason');
select ok((select message from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('invalid'))
  ~ '^whatsapp_phone_number: only digits, spaces, dashes, dots and brackets are allowed; expected international format like \+77011234567$',
  'with a sentence naming the field and the expected format');
select tests.authenticate_as('invalid');
select results_eq($$ select legacy_value from public.legacy_whatsapp_migration_issues $$, $$ values ('call me'::text) $$,
  'a user sees only its own issue');
select tests.authenticate_as('valid');
select is_empty($$ select 1 from public.legacy_whatsapp_migration_issues $$, 'and none when its value was migrated');
select tests.clear_authentication();
update public.user_accounts set whatsapp_phone_number = '+7 701 999 88 77' where id = tests.uid('invalid');
select is_empty($$ select 1 from public.legacy_whatsapp_migration_issues where user_account_id = tests.uid('invalid') $$,
  'a corrected legacy value leaves the list at once');
select results_eq($$ select outcome from private.migrate_legacy_whatsapp_numbers() where user_account_id = tests.uid('invalid') $$,
  $$ values ('inserted_default') $$, 'and is migrated by the next run');

select * from finish();
rollback;
