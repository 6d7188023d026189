ALTER TABLE `api_tokens` ADD `last_used_ip` text;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `last_used_user_agent` text;