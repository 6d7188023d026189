ALTER TABLE `load_balancers` ADD `tls_certificate` text;--> statement-breakpoint
ALTER TABLE `load_balancers` ADD `redirect_http_to_https` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `load_balancers` ADD `target_health` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `quotas` ADD `load_balancers` integer DEFAULT 10 NOT NULL;