ALTER TABLE `droplets` ADD `public_ip` text;--> statement-breakpoint
ALTER TABLE `firewalls` ADD `allow_dns` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `firewalls` ADD `applied_to` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `firewalls` ADD `policy_kind` text;