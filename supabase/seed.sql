-- Demo data for the local stack (supabase db reset / npm start). Fixed ids so that tests, docs and
-- the web app can refer to them. Safe to run twice (every insert is ON CONFLICT DO NOTHING).
--
--   user                        password          shows
--   demo1@example.com           demo-password-1   Facebook connected (ad account, page, token);
--                                                 3 numbers (default, second, inactive); directions
--                                                 of every objective on the 'direction' and 'default'
--                                                 levels, one bound to an inactive number
--   demo2@example.com           demo-password-2   the same number as demo1 (numbers are per user);
--                                                 not connected to Facebook
--   legacy@example.com          demo-password-3   legacy number only (written by the old API after the
--                                                 migration ran): route level 'legacy'
--   unmigratable@example.com    demo-password-4   legacy '8 (701) 123-45-67' (no country code): listed
--                                                 in legacy_whatsapp_migration_issues
--   pageonly@example.com        demo-password-5   no number at all: route level 'page_default'

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                        raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select '00000000-0000-0000-0000-000000000000'::uuid, u.id, 'authenticated', 'authenticated', u.email,
       extensions.crypt(u.password, extensions.gen_salt('bf')), now(),
       '{"provider": "email", "providers": ["email"]}'::jsonb, '{}'::jsonb, now(), now()
from (values
  ('11111111-1111-4111-8111-111111111111'::uuid, 'demo1@example.com', 'demo-password-1'),
  ('22222222-2222-4222-8222-222222222222'::uuid, 'demo2@example.com', 'demo-password-2'),
  ('33333333-3333-4333-8333-333333333333'::uuid, 'legacy@example.com', 'demo-password-3'),
  ('44444444-4444-4444-8444-444444444444'::uuid, 'unmigratable@example.com', 'demo-password-4'),
  ('55555555-5555-4555-8555-555555555555'::uuid, 'pageonly@example.com', 'demo-password-5')
) as u (id, email, password)
on conflict (id) do nothing;

-- user_accounts rows were created by the sign-up trigger.
update public.user_accounts set ad_account_id = '1234567890', page_id = '1122334455'
where id = '11111111-1111-4111-8111-111111111111';
update public.user_accounts set whatsapp_phone_number = '+7 (701) 555-66-77'
where id = '33333333-3333-4333-8333-333333333333';
update public.user_accounts set whatsapp_phone_number = '8 (701) 123-45-67'
where id = '44444444-4444-4444-8444-444444444444';

insert into public.user_facebook_tokens (user_account_id, access_token)
values ('11111111-1111-4111-8111-111111111111', 'EAALocalDemoToken-demo1-not-a-real-token')
on conflict (user_account_id) do nothing;

-- Numbers, in insertion order: each user's first number becomes its default.
insert into public.whatsapp_phone_numbers (id, user_account_id, phone_number, label, is_active)
values
  ('a1111111-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', '+7 701 123 45 67', 'Main office', true),
  ('a1111111-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', '+7 (701) 765-43-21', 'Implants line', true),
  ('a1111111-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', '0077021112233', 'Old number', false),
  ('a2222222-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', '+77011234567', 'Reception', true),
  ('a2222222-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', '+7 747 000 11 22', 'Second clinic', true)
on conflict (id) do nothing;

insert into public.account_directions (id, user_account_id, name, objective, daily_budget_cents, target_cpl_cents,
                                       fb_campaign_id, default_settings, whatsapp_phone_number_id)
values
  -- demo1: level 'direction'
  ('d1111111-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Implants', 'whatsapp', 500000, 150000,
   '120210000000000001',
   '{"targeting": {"geo_locations": {"countries": ["KZ"], "cities": [{"key": "1535367", "radius": 25, "distance_unit": "kilometer"}]}, "age_min": 30, "age_max": 65, "targeting_automation": {"advantage_audience": 0}}}',
   'a1111111-0000-4000-8000-000000000002'),
  ('d1111111-0000-4000-8000-000000000005', '11111111-1111-4111-8111-111111111111', 'Instagram profile', 'instagram_traffic', 200000, null,
   '120210000000000005',
   '{"targeting": {"geo_locations": {"countries": ["KZ"]}, "targeting_automation": {"advantage_audience": 1}}}',
   'a1111111-0000-4000-8000-000000000001'),
  -- demo1: level 'default' (no number of its own)
  ('d1111111-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Braces', 'whatsapp', 300000, 100000,
   '120210000000000002',
   '{"targeting": {"geo_locations": {"countries": ["KZ"]}, "age_min": 14, "age_max": 45, "targeting_automation": {"advantage_audience": 0}}}',
   null),
  -- demo1: level 'default' because its own number is inactive
  ('d1111111-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'Whitening', 'lead_forms', 150000, 80000,
   '120210000000000003',
   '{"targeting": {"geo_locations": {"countries": ["KZ"]}, "targeting_automation": {"advantage_audience": 1}}}',
   'a1111111-0000-4000-8000-000000000003'),
  ('d1111111-0000-4000-8000-000000000004', '11111111-1111-4111-8111-111111111111', 'Website consultations', 'site_leads', 250000, 120000,
   null,
   '{"targeting": {"geo_locations": {"countries": ["KZ"]}}}',
   null),
  -- demo2
  ('d2222222-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'Orthodontics', 'whatsapp', 400000, 120000,
   '120220000000000001',
   '{"targeting": {"geo_locations": {"countries": ["KZ"]}, "targeting_automation": {"advantage_audience": 0}}}',
   'a2222222-0000-4000-8000-000000000002'),
  ('d2222222-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'Kids dentistry', 'whatsapp', 200000, null,
   null,
   '{"targeting": {"geo_locations": {"countries": ["KZ"]}}}',
   null),
  -- level 'legacy'
  ('d3333333-0000-4000-8000-000000000001', '33333333-3333-4333-8333-333333333333', 'Legacy clinic', 'whatsapp', 100000, null,
   null, '{"targeting": {"geo_locations": {"countries": ["KZ"]}}}', null),
  -- level 'legacy' with a value that cannot be normalised (the launch will fail loudly)
  ('d4444444-0000-4000-8000-000000000001', '44444444-4444-4444-8444-444444444444', 'Unmigrated clinic', 'whatsapp', 100000, null,
   null, '{"targeting": {"geo_locations": {"countries": ["KZ"]}}}', null),
  -- level 'page_default'
  ('d5555555-0000-4000-8000-000000000001', '55555555-5555-4555-8555-555555555555', 'Page number only', 'whatsapp', 100000, null,
   null, '{"targeting": {"geo_locations": {"countries": ["KZ"]}}}', null)
on conflict (id) do nothing;

-- Two past launches of demo1, for the history and usage reports.
insert into public.adset_launches (id, user_account_id, direction_id, whatsapp_phone_number_id, phone_number,
                                   number_source, status, fb_adset_id, error_code, error_subcode, error_message,
                                   error_user_title, error_user_msg, fb_trace_id, request, idempotency_key,
                                   attempts, started_at, finished_at, created_at)
values
  ('e1111111-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'd1111111-0000-4000-8000-000000000001', 'a1111111-0000-4000-8000-000000000002', '+77017654321',
   'direction', 'succeeded', '120210000000009001', null, null, null, null, null, null,
   '{"method": "POST", "url": "/v23.0/act_1234567890/adsets", "body": {"name": "Implants", "campaign_id": "120210000000000001", "daily_budget": 500000, "promoted_object": {"page_id": "1122334455", "whatsapp_phone_number": "+77017654321"}}}',
   'seed-launch-1', 1, now() - interval '2 days', now() - interval '2 days' + interval '850 milliseconds', now() - interval '2 days'),
  ('e1111111-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111',
   'd1111111-0000-4000-8000-000000000002', 'a1111111-0000-4000-8000-000000000001', '+77011234567',
   'default', 'failed', null, 100, 2446885, 'Invalid parameter',
   'Требуется Страница с аккаунтом WhatsApp Business',
   'Номер WhatsApp, связанный с вашей Страницей, относится к личному аккаунту. Подключите аккаунт WhatsApp Business, чтобы направить трафик в WhatsApp.',
   'AsKfiEctM-vEtCOlrXGuwam',
   '{"method": "POST", "url": "/v23.0/act_1234567890/adsets", "body": {"name": "Braces", "campaign_id": "120210000000000002", "daily_budget": 300000, "promoted_object": {"page_id": "1122334455", "whatsapp_phone_number": "+77011234567"}}}',
   'seed-launch-2', 1, now() - interval '1 day', now() - interval '1 day' + interval '640 milliseconds', now() - interval '1 day')
on conflict (id) do nothing;
