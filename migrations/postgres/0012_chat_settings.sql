-- Per-conversation settings and what answers cost.
--
-- A conversation's system prompt: NULL (or never set) means the operator's
-- LLM_SYSTEM_PROMPT. A new conversation starts from the person's default
-- (users.chat_system_prompt), copied when it is created, so changing the
-- default later leaves the conversations already under way as they were.
--
-- An answer's token counts, as the model service reported them in the
-- stream's usage (OpenAI's stream_options.include_usage); NULL where it
-- sent none (older answers, webhooks, servers without usage).
ALTER TABLE conversations ADD COLUMN system_prompt TEXT;
ALTER TABLE users ADD COLUMN chat_system_prompt TEXT;
ALTER TABLE messages ADD COLUMN prompt_tokens BIGINT;
ALTER TABLE messages ADD COLUMN completion_tokens BIGINT;
