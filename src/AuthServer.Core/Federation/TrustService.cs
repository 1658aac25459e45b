using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Federation;

/// <summary>
/// Trusts added and deleted at run time, behind the admin API and the CLI alike: checked like the
/// settings' trusts, audited in the same transaction, and seen by every replica through the
/// credentials revision. A trust from the settings is listed but changed only in the settings.
/// </summary>
public sealed class TrustService(
    AuthServerDbContext db, TrustStore store, IOptions<FederationOptions> options, ChangeAudit audit, TimeProvider time)
{
    public ValueTask<IReadOnlyList<Trust>> ListAsync(CancellationToken ct) => store.GetAsync(ct);

    public async Task<Trust> AddAsync(TrustOptions trust, CancellationToken ct)
    {
        foreach (var (field, message) in TrustRules.Problems(trust, options.Value.AllowHttpLoopbackIssuers))
            throw new ValidationFailedException(char.ToLowerInvariant(field[0]) + field[1..], message);
        var normalized = Names.Normalize(trust.Name);
        if (options.Value.Trusts.Any(t => Names.Normalize(t.Name) == normalized))
            throw new ConflictException($"trust '{trust.Name.Trim()}' is set in {FederationOptions.Section}:Trusts");
        var robot = Names.Normalize(trust.Robot);
        if (!await db.Robots.AnyAsync(r => r.NormalizedName == robot, ct))
            throw new ValidationFailedException("robot", $"there is no robot '{trust.Robot.Trim()}': create it first");

        var stored = StoredTrust.From(trust, time.GetUtcNow().UtcDateTime);
        db.FederationTrusts.Add(stored);
        audit.Record(AuditEventTypes.TrustAdd, "trust:" + stored.Name, after: Describe(stored.ToOptions()));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new ConflictException($"trust '{stored.Name}' already exists");
        }
        return new Trust(stored.ToOptions(), FromSettings: false);
    }

    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        var normalized = Names.Normalize(name);
        if (options.Value.Trusts.Any(t => Names.Normalize(t.Name) == normalized))
            throw new ConflictException($"trust '{name}' is set in {FederationOptions.Section}:Trusts; remove it there");
        var stored = await db.FederationTrusts.SingleOrDefaultAsync(t => t.NormalizedName == normalized, ct)
            ?? throw new NotFoundException("trust", name);
        db.FederationTrusts.Remove(stored);
        audit.Record(AuditEventTypes.TrustDelete, "trust:" + stored.Name, before: Describe(stored.ToOptions()));
        await db.SaveChangesAsync(ct);
    }

    private static object Describe(TrustOptions t) =>
        new { name = t.Name, issuer = t.Issuer, audiences = t.Audiences, claims = t.Claims, robot = t.Robot, maxTokenLifetime = t.MaxTokenLifetime, allowRefresh = t.AllowRefresh };
}
