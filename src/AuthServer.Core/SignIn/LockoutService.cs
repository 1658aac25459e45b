using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.SignIn;

/// <summary>An administrator's unlock, for the CLI and the admin API alike.</summary>
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

    public async Task<int> PruneReleasesAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - ReleaseRetention;
        return await db.LockoutReleases.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    private async Task ReleaseAsync(string key, string subject, CancellationToken ct)
    {
        // One SaveChanges: the release, its audit row and the lockouts revision (CacheDependencies) commit together.
        db.LockoutReleases.Add(new LockoutRelease { Key = key, CreatedAt = time.GetUtcNow().UtcDateTime });
        audit.Record(AuditEventTypes.LockoutRelease, subject);
        await db.SaveChangesAsync(ct);
        // At once in this process (the admin API runs inside the server); others see the row.
        throttle.Release(key);
    }
}
