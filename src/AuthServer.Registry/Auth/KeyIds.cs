using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AuthServer.Registry.Auth;

/// <summary>
/// The two ways a registry names a trusted key, written here from the registries' own code rather
/// than taken from the token server.
/// </summary>
public static class KeyIds
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>
    /// libtrust <c>keyIDFromCryptoKey</c> (2.8): SHA-256 of the DER SubjectPublicKeyInfo, first 30
    /// bytes, base32 (48 characters), twelve groups of four joined by ':'.
    /// </summary>
    public static string Libtrust(AsymmetricAlgorithm publicKey)
    {
        var hash = SHA256.HashData(publicKey.ExportSubjectPublicKeyInfo());
        var b32 = new StringBuilder(48);
        int buffer = 0, bits = 0;
        foreach (var b in hash.AsSpan(0, 30))
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                b32.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return string.Join(':', Enumerable.Range(0, 12).Select(i => b32.ToString(i * 4, 4)));
    }

    /// <summary>
    /// 3.x util.go <c>GetJWKThumbprint</c>: RFC 7638's SHA-256 over the members in lexical order,
    /// built by hand as distribution builds it. Coordinates and modulus go through Go's
    /// <c>big.Int.Bytes()</c>, which drops leading zero bytes: for about 2 in 256 P-256 keys this
    /// differs from a strict RFC 7638 thumbprint, and the registry's value is the one that matches.
    /// </summary>
    public static string Thumbprint(AsymmetricAlgorithm publicKey)
    {
        string json = publicKey switch
        {
            ECDsa ec => EcMembers(ec.ExportParameters(false)),
            RSA rsa => RsaMembers(rsa.ExportParameters(false)),
            _ => throw new CryptographicException($"no thumbprint for a {publicKey.GetType().Name} key"),
        };
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    private static string EcMembers(ECParameters p) =>
        $"{{\"crv\":\"{CurveName(p.Curve)}\",\"kty\":\"EC\",\"x\":\"{BigEndian(p.Q.X!)}\",\"y\":\"{BigEndian(p.Q.Y!)}\"}}";

    private static string RsaMembers(RSAParameters p) =>
        $"{{\"e\":\"{BigEndian(p.Exponent!)}\",\"kty\":\"RSA\",\"n\":\"{BigEndian(p.Modulus!)}\"}}";

    private static string BigEndian(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0) start++;
        return Base64Url.EncodeToString(value.AsSpan(start));
    }

    public static string CurveName(ECCurve curve) => curve.Oid.Value switch
    {
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        _ => throw new CryptographicException($"unsupported curve {curve.Oid.FriendlyName ?? curve.Oid.Value}"),
    };
}
