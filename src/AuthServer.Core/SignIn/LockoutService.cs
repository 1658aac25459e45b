using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.SignIn;

/// <summary>An administrator's unlock, for the CLI and the admin API alike: the counts in every process, and the stored locks.</summary>
public sealed class LockoutService(AuthServerDbContext db, SmartLockout throttle, ChangeAudit audit, TimeProvider time)
{
    /// <summary>Unlocks are kept this long: every process has long seen them by then.</summary>
    public static readonly TimeSpan ReleaseRetention = TimeSpan.FromDays(1);

    public async Task UnlockUserAsync(string name, CancellationToken ct)
    {
        var normalized = Names.Normalize(name);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedName == normalized, ct)
            ?? throw new NotFoundException("user", name);
        await ReleaseAsync(SmartLockout.AccountKey(user.Name), user.Name, ct);
    }

    public async Task<string> UnlockAddressAsync(string address, CancellationToken ct)
    {
        var key = ClientAddress.KeyOf(address) ?? throw new ValidationFailedException("address", $"'{address}' is not an IP address");
        await ReleaseAsync(SmartLockout.AddressKey(key), SmartLockout.AddressKey(key), ct);
        return key;
    }

    /// <summary>Deletes unlocks every process has seen and locks that have run out.</summary>
    public async Task PruneAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.LockoutReleases.Where(r => r.CreatedAt < now - ReleaseRetention).ExecuteDeleteAsync(ct);
        await LockoutStore.PruneAsync(db, now, ct);
    }

    private async Task ReleaseAsync(string key, string subject, CancellationToken ct)
    {
        // One transaction: the stored locks it lifts go with the release, its audit row and the
        // lockouts revision (CacheDependencies), so no process reads the one without the other.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockoutStore.CoveredBy(db.StoredLocks, key).ExecuteDeleteAsync(ct);
        db.LockoutReleases.Add(new LockoutRelease { Key = key, CreatedAt = time.GetUtcNow().UtcDateTime });
        audit.Record(AuditEventTypes.LockoutRelease, subject);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // At once in this process (the admin API runs inside the server); others see the row.
        throttle.Release(key);
    }
}
