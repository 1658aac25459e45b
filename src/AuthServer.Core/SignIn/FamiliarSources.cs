using System.Collections.Concurrent;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.SignIn;

/// <summary>
/// Which sources each user signed in from with their password within
/// <see cref="LockoutOptions.FamiliarFor"/>: there, <see cref="SmartLockout"/> keeps the user's own
/// count, so guessing from elsewhere cannot lock them out.
/// <para>
/// Kept in the database so it survives restarts and is shared by replicas, and read into memory
/// per user on first use (again after <see cref="ReloadAfter"/>, to see other processes' sign-ins).
/// A sign-in from a familiar source writes nothing unless its date is a day old, so the warm path
/// stays free of writes.
/// </para>
/// </summary>
public sealed class FamiliarSources(
    IDbContextFactory<AuthServerDbContext> dbs, IOptions<LockoutOptions> options, TimeProvider time, ILogger<FamiliarSources> log)
{
    public static readonly TimeSpan ReloadAfter = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RewriteAfter = TimeSpan.FromDays(1);

    // Bounded by the number of users who signed in (unknown names never get here).
    private readonly ConcurrentDictionary<long, UserSources> _users = new();

    public async ValueTask<bool> IsFamiliarAsync(long userId, string? sourceKey, CancellationToken ct)
    {
        if (sourceKey is null) return false;
        var sources = await LoadAsync(userId, ct);
        return sources.LastSignIn(sourceKey) is { } last && Now - last <= options.Value.FamiliarFor;
    }

    /// <summary>Remembers a password sign-in of <paramref name="userId"/> from <paramref name="sourceKey"/>.</summary>
    public ValueTask RecordAsync(long userId, string? sourceKey, CancellationToken ct)
    {
        if (sourceKey is null) return ValueTask.CompletedTask;
        // The warm path (every docker request sends its password): known and recent, nothing to do, no allocation.
        if (_users.TryGetValue(userId, out var loaded) && time.GetElapsedTime(loaded.LoadedAt) < ReloadAfter
            && loaded.LastSignIn(sourceKey) is { } seen && Now - seen < RewriteAfter)
            return ValueTask.CompletedTask;
        return new ValueTask(WriteAsync(userId, sourceKey, ct));
    }

    private async Task WriteAsync(long userId, string sourceKey, CancellationToken ct)
    {
        var now = Now;
        var sources = await LoadAsync(userId, ct);
        if (sources.LastSignIn(sourceKey) is { } last && now - last < RewriteAfter) return;
        sources.Set(sourceKey, now);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var updated = await db.FamiliarSources.Where(f => f.UserId == userId && f.SourceKey == sourceKey)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastSignInAt, now), ct);
            if (updated == 0)
            {
                db.FamiliarSources.Add(new FamiliarSource { UserId = userId, SourceKey = sourceKey, LastSignInAt = now });
                await db.SaveChangesAsync(ct);
            }
        }
        // Another process wrote it first, or the user was just deleted: either way nothing to keep.
        catch (DbUpdateException e)
        {
            log.LogDebug("Familiar source of user {UserId} not written: {Message}", userId, e.InnerException?.Message ?? e.Message);
        }
    }

    /// <summary>Forgets sources not used within <see cref="LockoutOptions.FamiliarFor"/>; run periodically.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = Now - options.Value.FamiliarFor;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var pruned = await db.FamiliarSources.Where(f => f.LastSignInAt < cutoff).ExecuteDeleteAsync(ct);
        foreach (var (id, sources) in _users)
            if (time.GetElapsedTime(sources.LoadedAt) >= ReloadAfter) _users.TryRemove(id, out _);
        return pruned;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async ValueTask<UserSources> LoadAsync(long userId, CancellationToken ct)
    {
        if (_users.TryGetValue(userId, out var sources) && time.GetElapsedTime(sources.LoadedAt) < ReloadAfter) return sources;
        var loadedAt = time.GetTimestamp();
        var cutoff = Now - options.Value.FamiliarFor;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.FamiliarSources.AsNoTracking().Where(f => f.UserId == userId && f.LastSignInAt >= cutoff)
            .Select(f => new { f.SourceKey, f.LastSignInAt }).ToListAsync(ct);
        var loaded = new UserSources(loadedAt, rows.ToDictionary(r => r.SourceKey, r => r.LastSignInAt, StringComparer.Ordinal));
        _users[userId] = loaded;
        return loaded;
    }

    private sealed class UserSources(long loadedAt, Dictionary<string, DateTime> sources)
    {
        public long LoadedAt { get; } = loadedAt;

        public DateTime? LastSignIn(string sourceKey)
        {
            lock (sources) return sources.TryGetValue(sourceKey, out var at) ? at : null;
        }

        public void Set(string sourceKey, DateTime at)
        {
            lock (sources) sources[sourceKey] = at;
        }
    }
}
