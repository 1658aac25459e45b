using System.Collections.Concurrent;
using AuthServer.Core.Data;
using AuthServer.Core.SignIn;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AuthServer.Core.Identity;

/// <summary>
/// Rehashes a password made at an older work factor, or imported in another scheme, after it signed in, off the request path: the
/// new hash is made on the hashing queue and written in the background, so the sign-in that
/// triggered it neither waits for a second bcrypt nor writes to the database.
/// </summary>
public sealed class PasswordUpgrader(
    IDbContextFactory<AuthServerDbContext> dbs, PasswordHasher hasher, ILogger<PasswordUpgrader> log)
{
    private readonly ConcurrentDictionary<long, Task> _pending = new();

    /// <summary>Starts an upgrade unless one is under way for the user or the hashing queue is full (the next sign-in tries again).</summary>
    public void Schedule(CachedUser user, string password)
    {
        if (_pending.ContainsKey(user.Id)) return;
        var upgrade = WriteAsync(user, hasher.HashQueuedAsync(password));
        if (!_pending.TryAdd(user.Id, upgrade)) return;
        upgrade.ContinueWith(_ => _pending.TryRemove(user.Id, out var _), TaskScheduler.Default);
    }

    /// <summary>Waits for the upgrades under way; for tests and shutdown.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_pending.Values);

    private async Task WriteAsync(CachedUser user, Task<Hashed<string>> hashing)
    {
        try
        {
            // A full queue: the next sign-in tries again.
            if (await hashing is not { Ran: true, Value: var hash }) return;
            await using var db = await dbs.CreateDbContextAsync();
            // Only if nothing changed since the password was verified. A new stamp: what was
            // cached for the old hash is dropped with it. The stamp is a concurrency token, so a
            // change that lands between this read and the write fails the save.
            var stored = await db.Users.SingleOrDefaultAsync(u => u.Id == user.Id && u.SecurityStamp == user.SecurityStamp);
            if (stored is null) return;
            stored.PasswordHash = hash;
            stored.SecurityStamp = UserService.NewStamp();
            await db.SaveChangesAsync();
            log.LogInformation("Rehashed the password of {User} in the current scheme and work factor", user.Name);
        }
        // The user changed meanwhile: the new state is what counts, and its next sign-in decides.
        catch (DbUpdateConcurrencyException)
        {
        }
        // The old hash still works; the next sign-in tries again.
        catch (Exception e)
        {
            log.LogWarning("Rehashing the password of {User} failed: {Message}", user.Name, e.Message);
        }
    }
}
