-- A webhook's notification is kept as the text Twelve Labs signed, byte for byte. As jsonb it was re-serialised:
-- keys reordered, whitespace dropped, and a number such as 1e308 written out as 309 digits. Nothing reads the
-- column as JSON, so text loses nothing; rows stored before this keep jsonb's rendering of their notification.
--
-- The type change rewrites task_event under an exclusive lock: on a large table, run it in a quiet moment.
ALTER TABLE task_event ALTER COLUMN notification TYPE text USING notification::text;
