//! Integration tests: the real app on port 0 with a fresh SQLite file, over real HTTP.
//! One binary, one module per area.

mod fake_llm;
mod helpers;
mod smtp;

mod api_keys;
mod auth;
mod auth_forms;
mod auth_limits;
mod chat;
mod chat_sign_out;
mod chat_turn;
mod cli;
mod fuzz;
mod health;
mod languages;
mod metrics;
mod openapi;
mod pages;
mod pg_restart;
mod reset;
mod scale;
mod security;
mod startup;
mod upgrade;
mod webhook;
