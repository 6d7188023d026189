ALTER TABLE `apps` ADD `databases` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `databases` ADD `active_password_revision` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `quota_used` text;--> statement-breakpoint
-- A reset made before the engine confirmed resets has been applied as far as it ever will be.
UPDATE `databases` SET `active_password_revision` = `password_revision`;
