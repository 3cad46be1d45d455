-- A phone number is contact information, not an identifier (sign-in is by
-- e-mail only), and a household may share one. Its uniqueness only let
-- registration tell a stranger which numbers have an account (a 409), so
-- it goes.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_phone_key;
