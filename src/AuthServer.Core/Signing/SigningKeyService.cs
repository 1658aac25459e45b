using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Signing;

/// <summary>
/// Key life cycle: next → active → retired. A registry is given the next key's certificate
/// (export) before the key is activated, so rotation never breaks a pull. In CA mode each key's
/// certificate is issued by the active signing CA, which is all a registry trusts.
/// </summary>
public sealed class SigningKeyService(
    AuthServerDbContext db, KeyProtector protector, SigningKeyRing ring,
    ChangeAudit audit, IOptions<SigningOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<SigningKey>> ListAsync(CancellationToken ct) =>
        await db.SigningKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct);

    /// <summary>Makes sure one key is active (and in CA mode one CA); the first start creates them.</summary>
    public async Task<SigningKey?> EnsureActiveAsync(CancellationToken ct)
    {
        if (options.Value.Mode == SigningMode.Ca && !await db.SigningCas.AnyAsync(c => c.State == SigningKeyState.Active, ct))
        {
            await using var caTx = await db.Database.BeginTransactionAsync(ct);
            await ActiveCaAsync(Now, ct);
            await CommitAsync(caTx, ct);
        }
        if (await db.SigningKeys.AnyAsync(k => k.State == SigningKeyState.Active, ct)) return null;
        return await AddAsync(null, activate: true, ct);
    }

    /// <summary>Creates a key: as the next key, or active at once (the current one retires).</summary>
    public async Task<SigningKey> AddAsync(string? algorithm, bool activate, CancellationToken ct)
    {
        algorithm ??= options.Value.Algorithm;
        if (!SigningAlgorithms.IsSupported(algorithm))
            throw new ValidationFailedException("algorithm", $"algorithm '{algorithm}' is not supported: use ES256 or RS256");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var key = await CreateAsync(algorithm, activate, Now, ct);
        await CommitAsync(tx, ct);
        return key;
    }

    /// <summary>
    /// Takes a key and its certificate from PEM (docker_auth's token.certificate and token.key), as
    /// the next key or active at once. Self-signed mode only: in CA mode every key's certificate
    /// comes from the signing CA.
    /// </summary>
    public async Task<SigningKey> ImportAsync(string certificatePem, string keyPem, bool activate, CancellationToken ct)
    {
        if (options.Value.Mode == SigningMode.Ca)
            throw new ValidationFailedException("mode", "in CA mode the signing CA issues every key's certificate: import a CA with 'keys ca import' instead");
        SigningKey key;
        try
        {
            key = SigningKeyImport.FromPem(certificatePem, keyPem, protector, Now);
        }
        catch (ArgumentException e)
        {
            throw new ValidationFailedException("certificate", e.Message);
        }
        if (await db.SigningKeys.AnyAsync(k => k.Kid == key.Kid, ct)) throw new ConflictException($"key {key.Kid} is already stored");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SigningKeys.Add(key);
        audit.Record(AuditEventTypes.KeyAdd, $"key:{key.Kid}",
            after: new { kid = key.Kid, algorithm = key.Algorithm, state = activate ? "active" : "next", certificateNotAfter = key.NotAfter, issuer = "imported" });
        await db.SaveChangesAsync(ct);
        if (activate) await ActivateAsync(key, Now, ct);
        await CommitAsync(tx, ct);
        return key;
    }

    public async Task<SigningKey> ActivateAsync(string kid, CancellationToken ct)
    {
        var key = await GetAsync(kid, ct);
        if (key.State == SigningKeyState.Active) return key;
        if (key.State == SigningKeyState.Retired)
            throw new ConflictException($"key {kid} is retired; add a new key instead");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ActivateAsync(key, Now, ct);
        await CommitAsync(tx, ct);
        return key;
    }

    public async Task<SigningKey> RetireAsync(string kid, CancellationToken ct)
    {
        var key = await GetAsync(kid, ct);
        if (key.State == SigningKeyState.Active)
            throw new ConflictException($"key {kid} is active; activate another key first");
        if (key.State == SigningKeyState.Retired) return key;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        key.State = SigningKeyState.Retired;
        key.RetiredAt = Now;
        audit.Record(AuditEventTypes.KeyRetire, $"key:{key.Kid}", before: new { state = "next" }, after: new { state = "retired" });
        await db.SaveChangesAsync(ct);
        await CommitAsync(tx, ct);
        return key;
    }

    /// <summary>
    /// The registry's rootcertbundle: the signing CAs (active, next, and retired ones whose keys
    /// are still trusted), and the certificate of every trusted self-signed key.
    /// </summary>
    public async Task<string> ExportBundleAsync(CancellationToken ct)
    {
        var trusted = await ring.GetTrustedAsync(ct);
        var sb = new StringBuilder();
        foreach (var ca in trusted.CasAt(Now))
            sb.Append(ca.Certificate.ExportCertificatePem()).Append('\n');
        foreach (var key in trusted.TrustedAt(Now).Where(k => k.CaId is null))
            sb.Append(key.Certificate.ExportCertificatePem()).Append('\n');
        return sb.ToString();
    }

    /// <summary>The JWKS document (registry 3.x <c>jwks</c>), each key under the kid its tokens carry.</summary>
    public async Task<JwksDocument> ExportJwksAsync(CancellationToken ct) =>
        new((await ring.GetPublishedAsync(ct)).Select(k => k.Jwk).ToArray());

    /// <summary>
    /// Makes a key inside the caller's transaction: issued by the active CA in CA mode, else
    /// self-signed. The caller commits.
    /// </summary>
    internal async Task<SigningKey> CreateAsync(string algorithm, bool activate, DateTime now, CancellationToken ct)
    {
        var o = options.Value;
        SigningKey key;
        if (o.Mode == SigningMode.Ca)
        {
            using var ca = new SigningCaMaterial(await ActiveCaAsync(now, ct), protector);
            key = SigningKeyFactory.Create(algorithm, SigningKeyState.Next, protector, now, o.LeafCertificateLifetimeDays, ca);
        }
        else
        {
            key = SigningKeyFactory.Create(algorithm, SigningKeyState.Next, protector, now, o.CertificateLifetimeDays);
        }
        db.SigningKeys.Add(key);
        audit.Record(AuditEventTypes.KeyAdd, $"key:{key.Kid}",
            after: new { kid = key.Kid, algorithm, state = activate ? "active" : "next", certificateNotAfter = key.NotAfter, issuer = key.CaId is null ? "self-signed" : "ca" });
        await db.SaveChangesAsync(ct);
        if (activate) await ActivateAsync(key, now, ct);
        return key;
    }

    /// <summary>Makes <paramref name="key"/> the active key inside the caller's transaction; the current one retires.</summary>
    internal async Task ActivateAsync(SigningKey key, DateTime now, CancellationToken ct)
    {
        var current = await db.SigningKeys.Where(k => k.State == SigningKeyState.Active).ToListAsync(ct);
        foreach (var old in current)
        {
            old.State = SigningKeyState.Retired;
            old.RetiredAt = now;
            audit.Record(AuditEventTypes.KeyRetire, $"key:{old.Kid}", before: new { state = "active" }, after: new { state = "retired" });
        }
        // Retire first: the unique index allows one active key at a time.
        await db.SaveChangesAsync(ct);
        audit.Record(AuditEventTypes.KeyActivate, $"key:{key.Kid}", before: new { state = key.State.ToString().ToLowerInvariant() }, after: new { state = "active" });
        key.State = SigningKeyState.Active;
        key.ActivatedAt = now;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The CA that issues new keys; the first one is made here when there is none.</summary>
    internal async Task<SigningCa> ActiveCaAsync(DateTime now, CancellationToken ct)
    {
        var active = await db.SigningCas.SingleOrDefaultAsync(c => c.State == SigningKeyState.Active, ct);
        if (active is not null) return active;
        var o = options.Value;
        var ca = SigningCaFactory.Create(o.Algorithm, SigningKeyState.Active, protector, now, o.CaCertificateLifetimeDays);
        ca.ActivatedAt = now;
        db.SigningCas.Add(ca);
        audit.Record(AuditEventTypes.CaAdd, $"ca:{ca.Kid}", after: new { kid = ca.Kid, algorithm = ca.Algorithm, state = "active", certificateNotAfter = ca.NotAfter });
        await db.SaveChangesAsync(ct);
        return ca;
    }

    private async Task<SigningKey> GetAsync(string kid, CancellationToken ct) =>
        await db.SigningKeys.SingleOrDefaultAsync(k => k.Kid == kid, ct) ?? throw new NotFoundException("signing key", kid);

    // The signing-keys revision moved with each SaveChanges (CacheDependencies); this process hears of it at commit.
    private static Task CommitAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct) => tx.CommitAsync(ct);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}

/// <summary>RFC 7517 key set: <c>{"keys":[...]}</c>.</summary>
public sealed record JwksDocument([property: JsonPropertyName("keys")] IReadOnlyList<PublicJwk> Keys)
{
    // Relaxed escaping keeps base64 '+' readable in the x5c values; the output is never embedded in HTML.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Indented);
}
