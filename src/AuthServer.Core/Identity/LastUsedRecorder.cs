using System.Collections.Concurrent;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Identity;

public enum CredentialUse { Robot, AccessToken, RefreshSession }

/// <summary>
/// Last-used times of robots, access tokens and refresh sessions, kept in memory and written in
/// batches by the server's background flush: a token request never waits for a database write
/// just to move a timestamp. Only the latest time per credential is kept.
/// </summary>
public sealed class LastUsedRecorder(IDbContextFactory<AuthServerDbContext> dbs)
{
    private readonly ConcurrentDictionary<(CredentialUse Kind, long Id), DateTime> _pending = new();

    public void Record(CredentialUse kind, long id, DateTime at) =>
        _pending.AddOrUpdate((kind, id), at, (_, existing) => existing >= at ? existing : at);

    /// <summary>A use not yet written, so an idle check does not miss it.</summary>
    public DateTime? Pending(CredentialUse kind, long id) => _pending.TryGetValue((kind, id), out var at) ? at : null;

    public int PendingCount => _pending.Count;

    /// <summary>Writes every pending time; a time is only ever moved forward.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        if (_pending.IsEmpty) return 0;
        var batch = new List<((CredentialUse Kind, long Id) Key, DateTime At)>();
        foreach (var key in _pending.Keys)
            if (_pending.TryRemove(key, out var at)) batch.Add((key, at));

        try
        {
            await WriteAsync(batch, ct);
        }
        catch
        {
            // Nothing is lost when the database is briefly unavailable: the next flush tries again.
            foreach (var ((kind, id), at) in batch) Record(kind, id, at);
            throw;
        }
        return batch.Count;
    }

    private async Task WriteAsync(List<((CredentialUse Kind, long Id) Key, DateTime At)> batch, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var ((kind, id), at) in batch)
        {
            switch (kind)
            {
                case CredentialUse.Robot:
                    await db.Robots.TagWith(CacheDependencies.IgnoredColumnsOnly).Where(r => r.Id == id && (r.LastUsedAt == null || r.LastUsedAt < at))
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastUsedAt, at), ct);
                    break;
                case CredentialUse.AccessToken:
                    await db.AccessTokens.TagWith(CacheDependencies.IgnoredColumnsOnly).Where(t => t.Id == id && (t.LastUsedAt == null || t.LastUsedAt < at))
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, at), ct);
                    break;
                case CredentialUse.RefreshSession:
                    await db.RefreshSessions.TagWith(CacheDependencies.IgnoredColumnsOnly).Where(r => r.Id == id && r.LastUsedAt < at)
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastUsedAt, at), ct);
                    break;
            }
        }
        await tx.CommitAsync(ct);
    }
}
