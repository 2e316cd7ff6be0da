-- Reporting views: routes (agreeing with resolve_whatsapp_number on the seed), usage per number,
-- launch history; all security_invoker, set-based.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql

-- The seed, if this database was created without it (every insert in it is ON CONFLICT DO NOTHING).
select not exists (select 1 from auth.users where id = '11111111-1111-4111-8111-111111111111') as need_seed \gset
\if :need_seed
\ir ../../seed.sql
\endif

select plan(14);

-- ---- routes -----------------------------------------------------------------------------------
select set_eq($$ select direction_name, phone_number, label, source::text from public.direction_whatsapp_routes
                 where user_account_id in ('11111111-1111-4111-8111-111111111111', '33333333-3333-4333-8333-333333333333',
                                           '44444444-4444-4444-8444-444444444444', '55555555-5555-4555-8555-555555555555') $$,
  $$ values ('Implants', '+77017654321', 'Implants line', 'direction'),
            ('Instagram profile', '+77011234567', 'Main office', 'direction'),
            ('Braces', '+77011234567', 'Main office', 'default'),
            ('Whitening', '+77011234567', 'Main office', 'default'),
            ('Website consultations', '+77011234567', 'Main office', 'default'),
            ('Legacy clinic', '+77015556677', null, 'legacy'),
            ('Unmigrated clinic', '8 (701) 123-45-67', null, 'legacy'),
            ('Page number only', null, null, 'page_default') $$,
  'the seed shows every fallback level');
select is_empty($$
  select r.direction_id from public.direction_whatsapp_routes r
  left join lateral public.resolve_whatsapp_number(r.direction_id) f on true
  where (f.phone_number, f.whatsapp_phone_number_id, f.source) is distinct from (r.phone_number, r.whatsapp_phone_number_id, r.source) $$,
  'the routes view and resolve_whatsapp_number agree on every seeded direction');
select is((select count(*)::int from public.direction_whatsapp_routes), (select count(*)::int from public.account_directions),
  'one route per direction');
select ok(pg_get_viewdef('public.direction_whatsapp_routes'::regclass) not like '%resolve_whatsapp_number%',
  'the routes view is set-based: it does not call resolve_whatsapp_number per row');
select ok(not exists (
    select 1 from pg_depend d join pg_proc p on p.oid = d.refobjid
    join pg_rewrite r on r.oid = d.objid
    where r.ev_class = 'public.direction_whatsapp_routes'::regclass and p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)),
  'nor any other function of ours');

set local role authenticated;
select set_config('request.jwt.claims', '{"sub": "22222222-2222-4222-8222-222222222222", "role": "authenticated"}', true) is not null as as_demo2;
select set_eq($$ select direction_name, source::text from public.direction_whatsapp_routes $$,
  $$ values ('Orthodontics', 'direction'), ('Kids dentistry', 'default') $$, 'a user sees only its own routes');
select is_empty($$ select 1 from public.adset_launch_history $$, 'and no one else''s launches');
reset role;

-- ---- usage per number -----------------------------------------------------------------------------
select set_eq($$ select phone_number, label, is_default, is_active, direction_count, routed_direction_count, launch_count, succeeded_launch_count, failed_launch_count
                 from public.whatsapp_number_usage where user_account_id = '11111111-1111-4111-8111-111111111111' $$,
  $$ values ('+77011234567', 'Main office', true, true, 1, 4, 1, 0, 1),
            ('+77017654321', 'Implants line', false, true, 1, 1, 1, 1, 0),
            ('+77021112233', 'Old number', false, false, 1, 0, 0, 0, 0) $$,
  'usage: bound directions, directions routed (also through the default), launches by outcome');
select is((select last_launch_at from public.whatsapp_number_usage where phone_number = '+77017654321'
             and user_account_id = '11111111-1111-4111-8111-111111111111'),
  (select max(created_at) from public.adset_launches where phone_number = '+77017654321'), 'last launch time');
select is((select sum(routed_direction_count)::int from public.whatsapp_number_usage),
  (select count(*)::int from public.direction_whatsapp_routes where whatsapp_phone_number_id is not null),
  'routed counts add up to the routes that reach a number');

-- ---- launch history -----------------------------------------------------------------------------
select results_eq($$ select direction_name, phone_number_label, status::text, error_code, error_subcode, duration_ms
                     from public.adset_launch_history where user_account_id = '11111111-1111-4111-8111-111111111111' order by created_at $$,
  $$ values ('Implants'::text, 'Implants line'::text, 'succeeded', null::int, null::int, 850::bigint),
            ('Braces', 'Main office', 'failed', 100, 2446885, 640) $$,
  'history names the direction and the number, with the outcome and duration');
select lives_ok($$ delete from public.account_directions where id = 'd1111111-0000-4000-8000-000000000001' $$, 'a direction is deleted');
select is((select direction_name from public.adset_launch_history where id = 'e1111111-0000-4000-8000-000000000001'), null,
  'its launches stay in the history without a name');
select is((select count(*)::int from public.adset_launch_history), (select count(*)::int from public.adset_launches),
  'one history row per launch');

select * from finish();
rollback;
