using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Signing;

/// <summary>
/// Signing CAs (CA mode): made by the server or imported from PEM, next → active → retired like
/// keys. A next CA is exported beside the active one so registries trust it before it issues
/// anything; activating it issues a new signing key under it at once.
/// </summary>
public sealed class SigningCaService(
    AuthServerDbContext db, KeyProtector protector, SigningKeyService keys,
    ChangeAudit audit, IOptions<SigningOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<SigningCa>> ListAsync(CancellationToken ct) =>
        await db.SigningCas.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);

    /// <summary>Makes a CA: the active one when there is none, else the next one (unless <paramref name="activate"/>).</summary>
    public async Task<SigningCa> AddAsync(string? algorithm, bool activate, CancellationToken ct)
    {
        algorithm ??= options.Value.Algorithm;
        if (!SigningAlgorithms.IsSupported(algorithm))
            throw new ValidationFailedException("algorithm", $"algorithm '{algorithm}' is not supported: use ES256 or RS256");
        return await AddAsync(SigningCaFactory.Create(algorithm, SigningKeyState.Next, protector, Now, options.Value.CaCertificateLifetimeDays), activate, ct);
    }

    /// <summary>Takes a CA certificate and its private key from PEM text.</summary>
    public async Task<SigningCa> ImportAsync(string certificatePem, string keyPem, bool activate, CancellationToken ct)
    {
        SigningCa ca;
        try
        {
            ca = SigningCaFactory.Import(certificatePem, keyPem, SigningKeyState.Next, protector, Now);
        }
        catch (ArgumentException e)
        {
            throw new ValidationFailedException("certificate", e.Message);
        }
        if (await db.SigningCas.AnyAsync(c => c.Kid == ca.Kid, ct))
            throw new ConflictException($"CA {ca.Kid} is already stored");
        return await AddAsync(ca, activate, ct);
    }

    public async Task<SigningCa> ActivateAsync(string kid, CancellationToken ct)
    {
        var ca = await db.SigningCas.SingleOrDefaultAsync(c => c.Kid == kid, ct) ?? throw new NotFoundException("signing CA", kid);
        if (ca.State == SigningKeyState.Active) return ca;
        if (ca.State == SigningKeyState.Retired) throw new ConflictException($"CA {kid} is retired; add a new CA instead");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ActivateAsync(ca, Now, ct);
        await CommitAsync(tx, ct);
        return ca;
    }

    private async Task<SigningCa> AddAsync(SigningCa ca, bool activate, CancellationToken ct)
    {
        var now = Now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var first = !await db.SigningCas.AnyAsync(c => c.State == SigningKeyState.Active, ct);
        db.SigningCas.Add(ca);
        audit.Record(AuditEventTypes.CaAdd, $"ca:{ca.Kid}",
            after: new { kid = ca.Kid, algorithm = ca.Algorithm, imported = ca.Imported, state = activate || first ? "active" : "next", certificateNotAfter = ca.NotAfter });
        await db.SaveChangesAsync(ct);
        if (first && !activate)
        {
            // Nothing to hand over from: the first CA issues from now on, keys are left as they are.
            ca.State = SigningKeyState.Active;
            ca.ActivatedAt = now;
            await db.SaveChangesAsync(ct);
        }
        else if (activate)
        {
            await ActivateAsync(ca, now, ct);
        }
        await CommitAsync(tx, ct);
        return ca;
    }

    /// <summary>
    /// The CA becomes the issuing one; the old CA retires (exported only while keys it issued are
    /// trusted), keys it issued that never signed are retired, and a key issued by the new CA signs from now on.
    /// </summary>
    private async Task ActivateAsync(SigningCa ca, DateTime now, CancellationToken ct)
    {
        var old = await db.SigningCas.Where(c => c.State == SigningKeyState.Active).ToListAsync(ct);
        foreach (var previous in old)
        {
            previous.State = SigningKeyState.Retired;
            previous.RetiredAt = now;
            audit.Record(AuditEventTypes.CaRetire, $"ca:{previous.Kid}", before: new { state = "active" }, after: new { state = "retired" });
            foreach (var unused in await db.SigningKeys.Where(k => k.CaId == previous.Id && k.State == SigningKeyState.Next).ToListAsync(ct))
            {
                unused.State = SigningKeyState.Retired;
                unused.RetiredAt = now;
                audit.Record(AuditEventTypes.KeyRetire, $"key:{unused.Kid}", before: new { state = "next" }, after: new { state = "retired" }, reason: "its CA retired");
            }
        }
        await db.SaveChangesAsync(ct);
        audit.Record(AuditEventTypes.CaActivate, $"ca:{ca.Kid}", before: new { state = ca.State.ToString().ToLowerInvariant() }, after: new { state = "active" });
        ca.State = SigningKeyState.Active;
        ca.ActivatedAt = now;
        await db.SaveChangesAsync(ct);
        if (options.Value.Mode == SigningMode.Ca) await keys.CreateAsync(options.Value.Algorithm, activate: true, now, ct);
    }

    // The signing-keys revision moved with each SaveChanges (CacheDependencies); this process hears of it at commit.
    private static Task CommitAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct) => tx.CommitAsync(ct);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
