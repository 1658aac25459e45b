using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.Signing;

public sealed class SigningOptions
{
    public const string Section = "AuthServer:Signing";

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

    /// <summary>How long a retired key stays in the JWKS and the exported bundle, so tokens it
    /// signed just before rotation keep verifying. Keep it above the longest token lifetime.</summary>
    public TimeSpan RetiredKeyGrace { get; set; } = TimeSpan.FromHours(1);
}

public static class SigningAlgorithms
{
    public const string ES256 = "ES256";
    public const string RS256 = "RS256";

    public static bool IsSupported(string alg) => alg is ES256 or RS256;
}
