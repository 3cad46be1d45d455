//! Integration tests: the real app on port 0 with a fresh SQLite file, over real HTTP.
//! One binary, one module per area.

mod fake_llm;
mod helpers;
mod smtp;

mod account;
mod admin;
mod api_keys;
mod api_keys_forms;
mod audit;
mod auth;
mod auth_forms;
mod auth_limits;
mod chat;
mod chat_lines;
mod chat_live;
mod chat_search;
mod chat_settings;
mod chat_sign_out;
mod chat_transfer;
mod chat_tree;
mod chat_turn;
mod cli;
mod fuzz;
mod health;
mod languages;
mod metrics;
mod mfa;
mod openapi;
mod pages;
mod pg_restart;
mod reset;
mod scale;
mod security;
mod startup;
mod upgrade;
mod verify_email;
mod webhook;
