-- The language of each account's mails (en, zh-CN or vi): the page's
-- language when it registered. Accounts made before this version get English.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
