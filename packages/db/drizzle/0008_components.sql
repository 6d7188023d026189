CREATE TABLE `components` (
	`name` text PRIMARY KEY NOT NULL,
	`desired` text NOT NULL,
	`version` text NOT NULL,
	`variant` text,
	`state` text DEFAULT 'installing' NOT NULL,
	`installed_version` text,
	`applied` text DEFAULT '[]' NOT NULL,
	`health` text DEFAULT '[]' NOT NULL,
	`action` text,
	`generation` integer DEFAULT 1 NOT NULL,
	`observed_generation` integer DEFAULT 0 NOT NULL,
	`observed_at` integer,
	`sync_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
