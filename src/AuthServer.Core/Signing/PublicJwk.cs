using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using AuthServer.Core.Identity;

namespace AuthServer.Core.Signing;

/// <summary>A public signing key in JWK form (RFC 7517), as published in the JWKS document.</summary>
public sealed record PublicJwk
{
    [JsonPropertyName("kty")] public required string Kty { get; init; }
    [JsonPropertyName("use")] public string Use { get; init; } = "sig";
    [JsonPropertyName("alg")] public required string Alg { get; init; }
    [JsonPropertyName("kid")] public required string Kid { get; init; }
    [JsonPropertyName("crv"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Crv { get; init; }
    [JsonPropertyName("x"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? X { get; init; }
    [JsonPropertyName("y"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Y { get; init; }
    [JsonPropertyName("n"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? N { get; init; }
    [JsonPropertyName("e"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? E { get; init; }
    [JsonPropertyName("x5c")] public required string[] X5c { get; init; }

    /// <param name="x5c">The chain as tokens carry it (leaf, then the CA); by default the certificate alone.</param>
    public static PublicJwk FromCertificate(X509Certificate2 certificate, string kid, string alg, string[]? x5c = null)
    {
        x5c ??= [Convert.ToBase64String(certificate.RawData)];
        using (var ec = certificate.GetECDsaPublicKey())
        {
            if (ec is not null)
            {
                // Coordinates keep their fixed length (RFC 7518 §6.2.1.2), leading zeros included.
                var p = ec.ExportParameters(false);
                return new PublicJwk
                {
                    Kty = "EC",
                    Alg = alg,
                    Kid = kid,
                    Crv = CurveName(p.Curve),
                    X = Secrets.Base64Url(p.Q.X),
                    Y = Secrets.Base64Url(p.Q.Y),
                    X5c = x5c,
                };
            }
        }
        using var rsa = certificate.GetRSAPublicKey() ?? throw new CryptographicException("certificate holds neither an EC nor an RSA key");
        var r = rsa.ExportParameters(false);
        return new PublicJwk { Kty = "RSA", Alg = alg, Kid = kid, N = Secrets.Base64Url(r.Modulus), E = Secrets.Base64Url(r.Exponent), X5c = x5c };
    }

    private static string CurveName(ECCurve curve) => curve.Oid.FriendlyName switch
    {
        "nistP256" or "ECDSA_P256" => "P-256",
        "nistP384" or "ECDSA_P384" => "P-384",
        "nistP521" or "ECDSA_P521" => "P-521",
        var other => throw new CryptographicException($"unsupported curve {other}"),
    };
}
