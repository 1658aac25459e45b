using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AuthServer.Core.Identity;

namespace AuthServer.Core.Signing;

/// <summary>
/// RFC 7638 JWK thumbprint: base64url SHA-256 of the key's required members as canonical JSON
/// (sorted names, no whitespace). Registry 3.x keys every rootcertbundle certificate by it
/// (distribution v3 accesscontroller.go), where registry 2.8 used the libtrust ID.
/// </summary>
public static class JwkThumbprint
{
    public static string FromKey(AsymmetricAlgorithm key) => key switch
    {
        // RFC 7518 §6.2.1.2: each coordinate is the full size of the curve, leading zeros kept.
        ECDsa ec => Ec(ec.ExportParameters(false), trimLeadingZeros: false),
        RSA rsa => Rsa(rsa.ExportParameters(false)),
        _ => throw new CryptographicException($"no JWK thumbprint for a {key.GetType().Name} key"),
    };

    public static string FromCertificate(X509Certificate2 certificate)
    {
        using var key = PublicKey(certificate);
        return FromKey(key);
    }

    /// <summary>
    /// The thumbprint as registry 3.x computes it for a bundle certificate (util.go
    /// getJWKThumbprint): coordinates from Go's big.Int.Bytes(), which drops leading zero bytes.
    /// It differs from <see cref="FromKey"/> exactly when an EC coordinate starts with 0x00.
    /// </summary>
    public static string AsRegistry3Computes(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => Ec(ec.ExportParameters(false), trimLeadingZeros: true),
        RSA rsa => Rsa(rsa.ExportParameters(false)),
        _ => throw new CryptographicException($"no JWK thumbprint for a {key.GetType().Name} key"),
    };

    /// <summary>True when an EC coordinate starts with a zero byte, so registry 3.x would hash it shorter.</summary>
    public static bool HasLeadingZeroCoordinate(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        return q.X![0] == 0 || q.Y![0] == 0;
    }

    private static string Ec(ECParameters p, bool trimLeadingZeros)
    {
        var x = trimLeadingZeros ? TrimLeadingZeros(p.Q.X!) : p.Q.X!;
        var y = trimLeadingZeros ? TrimLeadingZeros(p.Q.Y!) : p.Q.Y!;
        return Hash($"{{\"crv\":\"{CurveName(p.Curve)}\",\"kty\":\"EC\",\"x\":\"{Secrets.Base64Url(x)}\",\"y\":\"{Secrets.Base64Url(y)}\"}}");
    }

    // RFC 7518 §6.3.1: n and e use the fewest octets, which is also what big.Int.Bytes() gives.
    private static string Rsa(RSAParameters p) =>
        Hash($"{{\"e\":\"{Secrets.Base64Url(TrimLeadingZeros(p.Exponent!))}\",\"kty\":\"RSA\",\"n\":\"{Secrets.Base64Url(TrimLeadingZeros(p.Modulus!))}\"}}");

    private static string Hash(string canonicalJson) => Secrets.Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0) start++;
        return value[start..];
    }

    private static string CurveName(ECCurve curve) => curve.Oid.Value switch
    {
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        _ => throw new CryptographicException($"unsupported curve {curve.Oid.FriendlyName}"),
    };

    private static AsymmetricAlgorithm PublicKey(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey()
        ?? throw new CryptographicException("certificate holds neither an EC nor an RSA key");
}
