CREATE TABLE `images` (
	`slug` text PRIMARY KEY NOT NULL,
	`distribution` text NOT NULL,
	`version` text NOT NULL,
	`source_type` text NOT NULL,
	`url` text NOT NULL,
	`checksum` text,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
