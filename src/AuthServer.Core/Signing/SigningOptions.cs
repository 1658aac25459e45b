using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.Signing;

public sealed class SigningOptions
{
    public const string Section = "AuthServer:Signing";

    /// <summary>
    /// SelfSigned: each key has its own self-signed certificate, and registries are given every
    /// new key's certificate. Ca: the server holds a signing CA that issues each key a short-lived
    /// certificate; registries trust the CA only, so keys rotate without touching them.
    /// </summary>
    public SigningMode Mode { get; set; } = SigningMode.SelfSigned;

    /// <summary>Algorithm of keys this server creates: ES256 (P-256) or RS256 (RSA 2048).</summary>
    [RegularExpression("^(ES256|RS256)$", ErrorMessage = "AuthServer:Signing:Algorithm must be ES256 or RS256")]
    public string Algorithm { get; set; } = SigningAlgorithms.ES256;

    /// <summary>
    /// Put the signing certificate in the token header (x5c). With it a token verifies on registry
    /// 2.8 and 3.x alike; without it the registry finds the key by kid alone.
    /// </summary>
    public bool IncludeX5c { get; set; } = true;

    /// <summary>Base64 of 32 bytes that encrypt private keys at rest. Replicas must share it.
    /// When unset, a key file in the data directory is used (created on first start).</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Where the key-encryption key is kept when <see cref="KeyEncryptionKey"/> is unset.
    /// Relative paths are under the data directory.</summary>
    public string KeyEncryptionKeyFile { get; set; } = "signing.kek";

    /// <summary>Validity of the self-signed certificates made for new keys. Registries check it when
    /// a token carries x5c, so rotate keys before it runs out.</summary>
    [Range(1, 36500)]
    public int CertificateLifetimeDays { get; set; } = 3650;

    /// <summary>Validity of the signing CA's certificate when the server makes it.</summary>
    [Range(1, 36500)]
    public int CaCertificateLifetimeDays { get; set; } = 3650;

    /// <summary>Validity of the certificate the CA issues each key. It must outlast the key's time
    /// as next, active and retired key; a leak of a key is bounded by it.</summary>
    [Range(1, 3650)]
    public int LeafCertificateLifetimeDays { get; set; } = 30;

    /// <summary>
    /// How long a key signs before the next one takes over. Unset: 7 days in Ca mode, off in
    /// SelfSigned mode; 00:00:00 turns it off in either.
    /// </summary>
    public TimeSpan? RotationInterval { get; set; }

    /// <summary>
    /// How long before its activation the next key is made (and exported with the bundle). In
    /// SelfSigned mode this is the time the operator has to give every registry the new bundle.
    /// Unset: a day, or half the interval when that is shorter.
    /// </summary>
    public TimeSpan? RotationLeadTime { get; set; }

    /// <summary>How often each replica checks whether a rotation step is due.</summary>
    public TimeSpan RotationCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Days before a certificate (the CA's, the active key's) ends at which the server warns.</summary>
    [Range(1, 3650)]
    public int ExpiryWarningDays { get; set; } = 30;

    /// <summary>The rotation interval in force, or null when rotation is off.</summary>
    public TimeSpan? EffectiveRotationInterval => RotationInterval switch
    {
        null => Mode == SigningMode.Ca ? TimeSpan.FromDays(7) : null,
        var interval when interval.Value <= TimeSpan.Zero => null,
        var interval => interval,
    };

    public TimeSpan EffectiveRotationLeadTime =>
        RotationLeadTime ?? TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(1).Ticks, (EffectiveRotationInterval ?? TimeSpan.FromDays(2)).Ticks / 2));

    /// <summary>
    /// How long a retired key stays trusted: <see cref="RetiredKeyGrace"/>, but never less than the
    /// longest token lifetime plus the registry's 60 s leeway, so no token outlives the trust in its key.
    /// </summary>
    public TimeSpan TrustAfterRetirement(TokenOptions tokens) =>
        TimeSpan.FromTicks(Math.Max(RetiredKeyGrace.Ticks,
            TimeSpan.FromSeconds(tokens.Services.Select(s => s.TokenLifetimeSeconds).DefaultIfEmpty(0).Max() + 60).Ticks));

    /// <summary>How long a retired key stays in the JWKS and the exported bundle, so tokens it
    /// signed just before rotation keep verifying. Keep it above the longest token lifetime.</summary>
    public TimeSpan RetiredKeyGrace { get; set; } = TimeSpan.FromHours(1);
}

public enum SigningMode { SelfSigned, Ca }

public static class SigningAlgorithms
{
    public const string ES256 = "ES256";
    public const string RS256 = "RS256";

    public static bool IsSupported(string alg) => alg is ES256 or RS256;
}
