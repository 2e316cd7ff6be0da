-- Deleting a number that directions use is refused, naming them; retire_whatsapp_number moves the
-- directions and deletes the number atomically.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
select plan(24);

select tests.create_user('alice');
select tests.create_user('bob');
create temporary table n as
select tests.add_number('alice', '+77011111111', 'Main') as main,
       tests.add_number('alice', '+77012222222', 'Braces line') as braces,
       tests.add_number('alice', '+77013333333', 'Spare') as spare,
       tests.add_number('alice', '+77014444444', 'Off', false, false) as off,
       tests.add_number('bob', '+77019999999', 'Bob') as bob;
grant select on n to authenticated;
select tests.add_direction('alice', 'Braces', (select braces from n));
select tests.add_direction('alice', 'Aligners', (select braces from n));
select tests.add_direction('alice', 'Implants', null);

select tests.authenticate_as('alice');

-- ---- the guard --------------------------------------------------------------------------------
select tests.throws_with($$ delete from public.whatsapp_phone_numbers where phone_number = '+77012222222' $$,
  '23503', '^whatsapp_number_in_use: \+77012222222 is used by 2 directions: "Aligners", "Braces"$',
  'deleting a number in use is refused, naming its directions');
select is(
  (tests.error_of($$ delete from public.whatsapp_phone_numbers where phone_number = '+77012222222' $$) ->> 'detail')::jsonb,
  (select jsonb_build_object('directions', jsonb_agg(jsonb_build_object('id', id, 'name', name) order by name))
     from public.account_directions where whatsapp_phone_number_id = (select braces from n)),
  'details are JSON {"directions": [{id, name}]}');
select ok(
  (tests.error_of($$ delete from public.whatsapp_phone_numbers where phone_number = '+77012222222' $$) ->> 'hint') ~ 'retire_whatsapp_number',
  'the hint points at retire_whatsapp_number');
select is((select count(*)::int from public.whatsapp_phone_numbers where phone_number = '+77012222222'), 1, 'the number is still there');
select lives_ok($$ delete from public.whatsapp_phone_numbers where phone_number = '+77013333333' $$,
  'a number no direction uses can be deleted');

-- ---- retire -----------------------------------------------------------------------------------
select tests.throws_with(format($$ select public.retire_whatsapp_number(%L, %L) $$, (select braces from n), (select bob from n)),
  '23503', '^replacement_id: the replacement must be another of your WhatsApp numbers', 'another user''s replacement is refused');
select tests.throws_with(format($$ select public.retire_whatsapp_number(%L, %L) $$, (select braces from n), (select braces from n)),
  '22023', '^replacement_id: a number cannot replace itself', 'a number cannot replace itself');
select tests.throws_with(format($$ select public.retire_whatsapp_number(%L, %L) $$, (select braces from n), (select off from n)),
  '22023', '^replacement_id: \+77014444444 is inactive', 'an inactive replacement is refused');
select tests.throws_with(format($$ select public.retire_whatsapp_number(%L) $$, (select bob from n)),
  'PT404', '^whatsapp_number_not_found', 'another user''s number is "not found", like a missing one');
select tests.throws_with(format($$ select public.retire_whatsapp_number(%L) $$, gen_random_uuid()),
  'PT404', '^whatsapp_number_not_found', 'a missing number is not found');
select is((select count(*)::int from public.account_directions where whatsapp_phone_number_id = (select braces from n)), 2,
  'refused calls changed nothing');

select is(public.retire_whatsapp_number((select braces from n), (select main from n)), 2, 'retire returns the number of directions moved');
select results_eq($$ select name, whatsapp_phone_number_id from public.account_directions order by name $$,
  format($$ values ('Aligners'::text, %L::uuid), ('Braces', %L), ('Implants', null) $$, (select main from n), (select main from n)),
  'its directions now use the replacement; others are untouched');
select is_empty($$ select 1 from public.whatsapp_phone_numbers where phone_number = '+77012222222' $$, 'and the number is gone');

-- to "use default"
select tests.clear_authentication();
select tests.add_number('alice', '+77015555555', 'Kids');
select tests.add_direction('alice', 'Kids', (select id from public.whatsapp_phone_numbers where phone_number = '+77015555555'));
select tests.authenticate_as('alice');
select is(public.retire_whatsapp_number((select id from public.whatsapp_phone_numbers where phone_number = '+77015555555'), null), 1,
  'retire with a null replacement');
select is((select whatsapp_phone_number_id from public.account_directions where name = 'Kids'), null, 'moves the directions to "use default"');

-- retiring the default
update public.whatsapp_phone_numbers set is_active = true where phone_number = '+77014444444';
select is(public.retire_whatsapp_number((select main from n), (select off from n)), 2, 'retiring the default with a replacement');
select results_eq($$ select phone_number from public.whatsapp_phone_numbers where is_default $$, $$ values ('+77014444444') $$,
  'hands the default to the replacement the user chose');
select tests.clear_authentication();
select tests.add_number('alice', '+77016666666', 'Last');
select tests.authenticate_as('alice');
select is(public.retire_whatsapp_number((select off from n), null), 2, 'retiring the default without a replacement');
select is_empty($$ select 1 from public.whatsapp_phone_numbers where is_default $$, 'promotes no other number');

-- atomic: a failure after moving directions leaves everything as it was
select tests.clear_authentication();
create function pg_temp.fail_delete() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$;
create trigger zz_fail before delete on public.whatsapp_phone_numbers for each row execute function pg_temp.fail_delete();
select tests.add_direction('alice', 'Atomic', (select id from public.whatsapp_phone_numbers where phone_number = '+77016666666'));
select tests.authenticate_as('alice');
select throws_ok(format($$ select public.retire_whatsapp_number(%L) $$, (select id from public.whatsapp_phone_numbers where phone_number = '+77016666666')),
  'boom', 'a failing delete aborts the retire');
select isnt((select whatsapp_phone_number_id from public.account_directions where name = 'Atomic'), null,
  'and the direction keeps its number');
select tests.clear_authentication();
drop trigger zz_fail on public.whatsapp_phone_numbers;

-- anon cannot call it (the RLS matrix covers the other roles)
select tests.authenticate_as_anon();
select throws_ok($$ select public.retire_whatsapp_number(gen_random_uuid()) $$, '42501', null, 'anon cannot call retire_whatsapp_number');

-- deleting the whole account is not blocked by the guard
select tests.clear_authentication();
select lives_ok($$ delete from auth.users where id = tests.uid('alice') $$, 'deleting a user removes numbers in use along with the directions');

select * from finish();
rollback;
