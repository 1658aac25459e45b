using System.Security.Cryptography;
using System.Text;

namespace AuthServer.Core.Signing;

/// <summary>
/// The key ID registry 2.8 looks trusted keys up by (docker/libtrust util.go keyIDFromCryptoKey):
/// SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits, base32, twelve groups of four.
/// </summary>
public static class LibtrustKeyId
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(spki, hash);
        var b32 = Base32(hash[..30]);
        var sb = new StringBuilder(59);
        for (var i = 0; i < b32.Length; i += 4)
        {
            if (i > 0) sb.Append(':');
            sb.Append(b32, i, 4);
        }
        return sb.ToString();
    }

    public static string FromKey(AsymmetricAlgorithm key) =>
        FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());

    // RFC 4648 base32; 30 bytes give exactly 48 characters and no padding.
    private static string Base32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }
}
