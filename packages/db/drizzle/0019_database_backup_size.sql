ALTER TABLE `database_backups` ADD `size_bytes` integer;--> statement-breakpoint
ALTER TABLE `database_backups` ADD `size_note` text;