using System.Security.Cryptography.X509Certificates;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Signing;

/// <summary>A signing CA a registry should trust: the active one, a next one, or a retired one whose keys are still trusted.</summary>
public sealed record TrustedCa(long Id, string Kid, SigningKeyState State, X509Certificate2 Certificate);

/// <summary>
/// What the key ring holds: the keys a registry should trust (next, active, and retired keys
/// within their grace), newest first, and the CAs that issued them or will issue the next ones.
/// Read from the database in one snapshot; trust in a retired key ends by the clock, not by a
/// later change, so readers filter with <see cref="TrustedAt"/>.
/// </summary>
public sealed record TrustedKeys(long Revision, IReadOnlyList<SigningKeyMaterial> Keys, IReadOnlyList<TrustedCa> Cas)
{
    public SigningKeyMaterial? Active { get; } = Keys.FirstOrDefault(k => k.State == SigningKeyState.Active);

    public IReadOnlyList<SigningKeyMaterial> TrustedAt(DateTime now) =>
        Keys.All(k => k.TrustedUntil is null || k.TrustedUntil > now) ? Keys : Keys.Where(k => k.TrustedUntil is null || k.TrustedUntil > now).ToArray();

    /// <summary>CAs still needed at <paramref name="now"/>: not retired, or the issuer of a key still trusted.</summary>
    public IReadOnlyList<TrustedCa> CasAt(DateTime now)
    {
        var keys = TrustedAt(now);
        return Cas.Where(ca => ca.State != SigningKeyState.Retired || keys.Any(k => k.CaId == ca.Id)).ToArray();
    }

    public static async Task<TrustedKeys> LoadAsync(AuthServerDbContext db, KeyProtector protector, DateTime now, TimeSpan trustAfterRetirement, long revision, CancellationToken ct)
    {
        var retiredSince = now - trustAfterRetirement;
        var keys = await db.SigningKeys.AsNoTracking()
            .Where(k => k.State != SigningKeyState.Retired || k.RetiredAt > retiredSince)
            .OrderByDescending(k => k.Id)
            .ToListAsync(ct);
        var caIds = keys.Where(k => k.CaId is not null).Select(k => k.CaId!.Value).Distinct().ToList();
        var cas = await db.SigningCas.AsNoTracking()
            .Where(c => c.State != SigningKeyState.Retired || caIds.Contains(c.Id))
            .OrderByDescending(c => c.Id)
            .ToListAsync(ct);
        var caCertificates = cas.ToDictionary(c => c.Id, c => c.Certificate);
        var material = keys.Select(k => new SigningKeyMaterial(
            k, protector,
            k.CaId is { } caId ? caCertificates[caId] : null,
            k.State == SigningKeyState.Retired ? k.RetiredAt + trustAfterRetirement : null)).ToArray();
        var trustedCas = cas.Select(c => new TrustedCa(c.Id, c.Kid, c.State, X509CertificateLoader.LoadCertificate(c.Certificate))).ToArray();
        return new TrustedKeys(revision, material, trustedCas);
    }
}
