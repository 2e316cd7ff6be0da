-- resolve_whatsapp_number(direction_id): every fallback branch, visibility, and its declaration.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
select plan(23);

-- ---- declaration ------------------------------------------------------------------------------
select function_returns('public', 'resolve_whatsapp_number', array['uuid'], 'setof record', 'returns a set of rows');
select is((select pg_get_function_result(p.oid) from pg_proc p where p.oid = 'public.resolve_whatsapp_number(uuid)'::regprocedure),
  'TABLE(phone_number text, whatsapp_phone_number_id uuid, source whatsapp_number_source)', 'columns phone_number, whatsapp_phone_number_id, source');
select is((select proname || '(' || pg_get_function_identity_arguments(oid) || ')' from pg_proc where oid = 'public.resolve_whatsapp_number(uuid)'::regprocedure),
  'resolve_whatsapp_number(direction_id uuid)', 'its parameter is named direction_id (PostgREST rpc body {"direction_id": ...})');
select isnt_definer('public', 'resolve_whatsapp_number', array['uuid'], 'it is security invoker');
select volatility_is('public', 'resolve_whatsapp_number', array['uuid'], 'stable', 'it is stable');
select is((select proconfig from pg_proc where oid = 'public.resolve_whatsapp_number(uuid)'::regprocedure), array['search_path=""'],
  'search_path is empty');

-- ---- fixtures ---------------------------------------------------------------------------------
select tests.create_user('alice');                       -- numbers and a default
select tests.create_user('lena', '+7 (701) 555-66-77');  -- legacy only, formatted
select tests.create_user('ivan', '8 (701) 123-45-67 ');  -- legacy only, cannot be normalised
select tests.create_user('paul');                        -- nothing: the Page's number
select tests.create_user('bob');
create temporary table n as
select tests.add_number('alice', '+77011111111', 'Main') as main,
       tests.add_number('alice', '+77012222222', 'Braces line') as braces,
       tests.add_number('alice', '+77013333333', 'Paused', false, false) as paused,
       tests.add_number('bob', '+77019999999', 'Bob main') as bob_main;
create temporary table d as
select tests.add_direction('alice', 'own number', (select braces from n)) as own,
       tests.add_direction('alice', 'inactive own number', (select paused from n)) as inactive_own,
       tests.add_direction('alice', 'no own number', null) as no_own,
       tests.add_direction('lena', 'legacy', null) as legacy,
       tests.add_direction('ivan', 'legacy raw', null) as legacy_raw,
       tests.add_direction('paul', 'page', null) as page,
       tests.add_direction('bob', 'bob direction', null) as bob_dir;
grant select on n, d to authenticated, anon, service_role;

-- ---- branches, each as the direction's owner ----------------------------------------------------
select tests.authenticate_as('alice');
select results_eq($$ select * from public.resolve_whatsapp_number((select own from d)) $$,
  $$ select '+77012222222'::text, (select braces from n), 'direction'::public.whatsapp_number_source $$,
  'direction: the direction''s own active number');
select results_eq($$ select * from public.resolve_whatsapp_number((select inactive_own from d)) $$,
  $$ select '+77011111111'::text, (select main from n), 'default'::public.whatsapp_number_source $$,
  'default: the direction''s own number is inactive, so it is skipped');
select results_eq($$ select * from public.resolve_whatsapp_number((select no_own from d)) $$,
  $$ select '+77011111111'::text, (select main from n), 'default'::public.whatsapp_number_source $$,
  'default: the direction has no number of its own');

select tests.authenticate_as('lena');
select results_eq($$ select * from public.resolve_whatsapp_number((select legacy from d)) $$,
  $$ select '+77015556677'::text, null::uuid, 'legacy'::public.whatsapp_number_source $$,
  'legacy: no default, the legacy number, normalised');

select tests.authenticate_as('ivan');
select results_eq($$ select * from public.resolve_whatsapp_number((select legacy_raw from d)) $$,
  $$ select '8 (701) 123-45-67'::text, null::uuid, 'legacy'::public.whatsapp_number_source $$,
  'legacy: a value that cannot be normalised is returned as stored (trimmed), so the launch fails loudly');

select tests.authenticate_as('paul');
select results_eq($$ select * from public.resolve_whatsapp_number((select page from d)) $$,
  $$ select null::text, null::uuid, 'page_default'::public.whatsapp_number_source $$,
  'page_default: no number anywhere, Facebook uses the Page''s number');

-- the default is skipped once it is gone; legacy blank counts as absent
select tests.clear_authentication();
update public.user_accounts set whatsapp_phone_number = '   ' where id = tests.uid('alice');
select tests.authenticate_as('alice');
update public.whatsapp_phone_numbers set is_default = false where phone_number = '+77011111111';
select results_eq($$ select source from public.resolve_whatsapp_number((select no_own from d)) $$,
  $$ values ('page_default'::public.whatsapp_number_source) $$,
  'without a default and with a blank legacy value: page_default');
update public.user_accounts set whatsapp_phone_number = '+77017777777';
select results_eq($$ select phone_number, source from public.resolve_whatsapp_number((select no_own from d)) $$,
  $$ values ('+77017777777'::text, 'legacy'::public.whatsapp_number_source) $$,
  'without a default: the legacy number');
select results_eq($$ select phone_number, source from public.resolve_whatsapp_number((select own from d)) $$,
  $$ values ('+77012222222'::text, 'direction'::public.whatsapp_number_source) $$,
  'the direction''s own number wins over every fallback');

-- ---- visibility ---------------------------------------------------------------------------------
select tests.authenticate_as('alice');
select is_empty($$ select * from public.resolve_whatsapp_number((select bob_dir from d)) $$,
  'another user''s direction resolves to nothing (no error that would confirm it exists)');
select is_empty($$ select * from public.resolve_whatsapp_number(gen_random_uuid()) $$, 'an unknown direction resolves to nothing');
select is_empty($$ select * from public.resolve_whatsapp_number(null) $$, 'a null direction resolves to nothing');

-- a number of another user is never returned, even if a row pointed at one
select tests.clear_authentication();
set local session_replication_role = replica;  -- bypass the composite foreign key for this one row
update public.account_directions set whatsapp_phone_number_id = (select bob_main from n) where id = (select own from d);
set local session_replication_role = origin;
select tests.authenticate_as('alice');
select results_eq($$ select phone_number, whatsapp_phone_number_id, source from public.resolve_whatsapp_number((select own from d)) $$,
  $$ values ('+77017777777'::text, null::uuid, 'legacy'::public.whatsapp_number_source) $$,
  'a direction pointing at another user''s number falls through as if it had none');
select tests.authenticate_as_service_role();
select results_eq($$ select phone_number, source from public.resolve_whatsapp_number((select own from d)) $$,
  $$ values ('+77017777777'::text, 'legacy'::public.whatsapp_number_source) $$,
  'also for the service role');

-- ---- roles --------------------------------------------------------------------------------------
select results_eq($$ select phone_number, source from public.resolve_whatsapp_number((select bob_dir from d)) $$,
  $$ values ('+77019999999'::text, 'default'::public.whatsapp_number_source) $$,
  'the service role resolves any user''s direction');
select tests.authenticate_as_anon();
select throws_ok($$ select * from public.resolve_whatsapp_number((select page from d)) $$, '42501', null, 'anon cannot call it');

-- ---- agrees with the routes view -------------------------------------------------------------------
select tests.authenticate_as_service_role();
select is_empty($$
  select r.direction_id from public.direction_whatsapp_routes r
  cross join lateral public.resolve_whatsapp_number(r.direction_id) f
  where (f.phone_number, f.whatsapp_phone_number_id, f.source) is distinct from (r.phone_number, r.whatsapp_phone_number_id, r.source) $$,
  'resolve_whatsapp_number and direction_whatsapp_routes agree on every direction');

select * from finish();
rollback;
