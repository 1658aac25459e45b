using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Signing;

/// <summary>One certificate's validity as the status reports it.</summary>
public sealed record CertificateStatus(string Kid, DateTime NotAfter, double RemainingDays);

/// <summary>A finding about the keys: <c>error</c> (tokens fail or will fail now) or <c>warning</c>.</summary>
public sealed record SigningFinding(string Severity, string Message);

/// <summary>
/// Where the signing keys stand: the mode, the active key and its certificate, the next key and
/// when it signs, the issuing CA and its certificate, and findings for what needs an operator.
/// Read by <c>authserver keys status</c>, <c>authserver doctor</c>, the admin API, the expiry
/// metrics and the expiry log warning.
/// </summary>
public sealed record SigningStatus(
    SigningMode Mode,
    TimeSpan? RotationInterval,
    CertificateStatus? ActiveKey,
    DateTime? ActiveKeyActivatedAt,
    string? NextKid,
    DateTime? NextRotationAt,
    CertificateStatus? Ca,
    IReadOnlyList<SigningFinding> Findings)
{
    public bool HasErrors => Findings.Any(f => f.Severity == "error");

    public static async Task<SigningStatus> LoadAsync(AuthServerDbContext db, SigningOptions options, TokenOptions tokens, DateTime now, CancellationToken ct)
    {
        var current = await db.SigningKeys.AsNoTracking().Where(k => k.State != SigningKeyState.Retired).ToListAsync(ct);
        var active = current.SingleOrDefault(k => k.State == SigningKeyState.Active);
        var next = current.Where(k => k.State == SigningKeyState.Next).OrderByDescending(k => k.Id).FirstOrDefault();
        var ca = await db.SigningCas.AsNoTracking().SingleOrDefaultAsync(c => c.State == SigningKeyState.Active, ct);
        var nextIssuer = next?.CaId is { } caId ? await db.SigningCas.AsNoTracking().Where(c => c.Id == caId).Select(c => (DateTime?)c.CreatedAt).SingleAsync(ct) : null;
        var schedule = KeyRotation.Schedule(active, next, nextIssuer, options, tokens);
        var findings = new List<SigningFinding>();

        var activeStatus = active is null ? null : Certificate(active.Kid, active.NotAfter, now);
        var caStatus = ca is null ? null : Certificate(ca.Kid, ca.NotAfter, now);
        if (active is null) findings.Add(new("error", "no active signing key: run 'authserver keys add --activate'"));
        else if (schedule is null)
            Expiry(findings, "the active key's certificate", activeStatus!, options.ExpiryWarningDays,
                "rotate the key ('authserver keys add', export the bundle, 'authserver keys activate KID'), or set AuthServer:Signing:RotationInterval");
        // With rotation on, a short-lived certificate is replaced before it ends: only a late rotation is news.
        else if (now > schedule.Due + options.RotationCheckInterval + TimeSpan.FromMinutes(5))
            findings.Add(new("warning",
                $"the rotation due on {schedule.Due:u} has not happened: is any server running? The active key's certificate ends on {active.NotAfter:u}"));
        if (caStatus is not null)
            Expiry(findings, "the signing CA's certificate", caStatus, options.ExpiryWarningDays,
                "add the next CA ('authserver keys ca add'), give registries the new bundle, then 'keys ca activate'");

        if (options.Mode == SigningMode.Ca)
        {
            if (ca is null) findings.Add(new("error", "CA mode without a signing CA: start the server once, or run 'authserver keys ca add'"));
            if (active is not null && active.CaId is null)
                findings.Add(new("warning",
                    $"CA mode, but the active key {active.Kid} is self-signed (it predates the mode): registries must trust it and the CA " +
                    "until the next rotation; give them the bundle from 'authserver keys export --bundle' once"));
        }
        else if (schedule is not null && next is { CaId: null })
        {
            findings.Add(new("warning",
                $"the next key {next.Kid} signs from {schedule.Due:u}: give every registry the bundle from 'authserver keys export --bundle' " +
                "and restart it before then (AuthServer:Signing:Mode=Ca makes this unnecessary)"));
        }
        return new SigningStatus(options.Mode, options.EffectiveRotationInterval, activeStatus, active?.ActivatedAt,
            next?.Kid, schedule?.Due, caStatus, findings);
    }

    private static CertificateStatus Certificate(string kid, DateTime notAfter, DateTime now) =>
        new(kid, notAfter, Math.Round((notAfter - now).TotalDays, 2));

    private static void Expiry(List<SigningFinding> findings, string what, CertificateStatus certificate, int warningDays, string remedy)
    {
        if (certificate.RemainingDays <= 0)
            findings.Add(new("error", $"{what} ({certificate.Kid}) expired on {certificate.NotAfter:u}: registries refuse tokens chained to it; {remedy}"));
        else if (certificate.RemainingDays <= warningDays)
            findings.Add(new("warning", $"{what} ({certificate.Kid}) expires on {certificate.NotAfter:u}, in {certificate.RemainingDays:0.#} days: {remedy}"));
    }
}

/// <summary>Loads <see cref="SigningStatus"/> for the CLI and the admin API.</summary>
public sealed class SigningStatusService(AuthServerDbContext db, Microsoft.Extensions.Options.IOptions<SigningOptions> options,
    Microsoft.Extensions.Options.IOptions<TokenOptions> tokens, TimeProvider time)
{
    public Task<SigningStatus> GetAsync(CancellationToken ct) =>
        SigningStatus.LoadAsync(db, options.Value, tokens.Value, time.GetUtcNow().UtcDateTime, ct);
}
