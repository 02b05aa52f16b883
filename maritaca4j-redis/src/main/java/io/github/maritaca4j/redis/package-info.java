/**
 * API: the account's rate-limit state in Redis, shared by every process using one API key ({@link
 * io.github.maritaca4j.redis.RedisSharedLimits}, also reached through {@code
 * SharedLimits.connect("redis://host:6379")}). See {@code docs/batch.md}, "Across processes: shared
 * limits on Redis".
 */
package io.github.maritaca4j.redis;
