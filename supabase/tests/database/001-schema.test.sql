-- Structure: the API objects exist, RLS is on everywhere, policies are `to authenticated` with
-- (select auth.uid()) and an index leading with their column, views run as the caller, functions
-- pin search_path, anon holds no privilege at all.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
select plan(20);

select tables_are('public', array['user_accounts', 'user_facebook_tokens', 'whatsapp_phone_numbers', 'account_directions', 'adset_launches'],
  'the public tables');
select views_are('public', array['direction_whatsapp_routes', 'whatsapp_number_usage', 'adset_launch_history', 'legacy_whatsapp_migration_issues'],
  'the public views');
select functions_are('public', array['resolve_whatsapp_number', 'retire_whatsapp_number'], 'the public functions');
select enums_are('public', array['direction_objective', 'whatsapp_number_source', 'adset_launch_status'], 'the public enums');

select is_empty($$ select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity $$,
  'RLS is enabled on every table in public');
select is_empty($$ select c.relname from pg_class c where c.relnamespace = 'private'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity $$,
  'and on the private token table');
select is_empty($$ select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'v'
                   and not coalesce('security_invoker=true' = any(c.reloptions), false) $$,
  'every view in public is security_invoker');
select is_empty($$ select policyname from pg_policies where schemaname = 'public' and roles <> '{authenticated}' $$,
  'every policy is to authenticated');
select is_empty($$ select policyname from pg_policies where schemaname = 'public'
                   and coalesce(qual, with_check) !~ '\(\s*SELECT auth\.uid\(\) AS uid\)' $$,
  'every policy compares with (select auth.uid()), evaluated once per statement');
select is_empty($$ select policyname from pg_policies where schemaname = 'public'
                   and coalesce(qual, with_check) ~ 'auth\.uid\(\)' and coalesce(qual, with_check) !~ '^\((user_account_id|id) = \( SELECT auth\.uid\(\) AS uid\)\)$' $$,
  'every policy is a plain owner comparison');
select is_empty($$
  select p.tablename, p.policyname
  from pg_policies p
  cross join lateral (select substring(coalesce(p.qual, p.with_check) from '^\((\w+) =') as col) pc
  where p.schemaname = 'public'
    and not exists (
      select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
      where i.indrelid = format('public.%I', p.tablename)::regclass and a.attname = pc.col) $$,
  'every policy column leads an index');
select is_empty($$ select p.tablename, count(*) from pg_policies p where p.schemaname = 'public'
                   group by p.tablename, p.cmd having count(*) > 1 $$,
  'one policy per table and command');

-- anon: nothing at all
select is_empty($$ select c.relname, priv from pg_class c cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) priv
                   where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'p') and has_table_privilege('anon', c.oid, priv) $$,
  'anon holds no table or view privilege in public');
select is_empty($$ select c.relname, a.attname from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0
                   where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v')
                     and has_column_privilege('anon', c.oid, a.attnum, 'SELECT, INSERT, UPDATE') $$,
  'anon holds no column privilege in public');
select is_empty($$ select p.oid::regprocedure from pg_proc p where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
                   and has_function_privilege('anon', p.oid, 'EXECUTE') $$,
  'anon can execute no function in public or private');
select is_empty($$ select c.relname, priv from pg_class c cross join unnest(array['TRUNCATE', 'REFERENCES', 'TRIGGER']) priv
                   where c.relnamespace = 'public'::regnamespace and has_table_privilege('authenticated', c.oid, priv) $$,
  'authenticated cannot truncate (which bypasses RLS), reference or trigger');
select is_empty($$ select c.relname from pg_class c where c.relnamespace = 'private'::regnamespace and c.relkind = 'r'
                   and (has_table_privilege('authenticated', c.oid, 'SELECT, INSERT, UPDATE, DELETE')) $$,
  'authenticated reaches no private table');

-- functions
select is_empty($$ select p.oid::regprocedure from pg_proc p
                   where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
                     and not coalesce('search_path=""' = any(p.proconfig), false) $$,
  'every function in public and private has search_path = ''''');
select is_empty($$ select p.oid::regprocedure from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prosecdef $$,
  'no security definer function is exposed in public');
select is_empty($$ select p.oid::regprocedure from pg_proc p where p.pronamespace = 'private'::regnamespace
                   and has_function_privilege('authenticated', p.oid, 'EXECUTE')
                   and p.oid not in ('private.strip_phone_separators(text)'::regprocedure, 'private.phone_format_problem(text)'::regprocedure,
                                     'private.phone_problem_message(text)'::regprocedure, 'private.normalize_phone_or_null(text)'::regprocedure) $$,
  'authenticated may execute only the four pure phone helpers in private');

select * from finish();
rollback;
