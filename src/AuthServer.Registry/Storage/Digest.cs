using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace AuthServer.Registry.Storage;

/// <summary>
/// A content digest, <c>algorithm:hex</c> (opencontainers/go-digest): sha256, sha384 or sha512,
/// lowercase hex of the hash's length. Anything else is refused before it names a path.
/// </summary>
public readonly partial record struct Digest(string Algorithm, string Hex)
{
    public override string ToString() => $"{Algorithm}:{Hex}";

    public static bool TryParse(string? text, out Digest digest, out string problem)
    {
        digest = default;
        var colon = text?.IndexOf(':') ?? -1;
        if (text is null || colon <= 0)
        {
            problem = "digest is not algorithm:hex";
            return false;
        }
        var (algorithm, hex) = (text[..colon], text[(colon + 1)..]);
        var length = HexLength(algorithm);
        if (length == 0)
        {
            problem = $"unsupported digest algorithm \"{algorithm}\"";
            return false;
        }
        if (hex.Length != length || !LowerHex().IsMatch(hex))
        {
            problem = $"{algorithm} digest must be {length} lowercase hex characters";
            return false;
        }
        digest = new Digest(algorithm, hex);
        problem = "";
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> content) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>Hashes a stream with this digest's algorithm.</summary>
    public async Task<Digest> ComputeSameAsync(Stream content, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(Algorithm switch
        {
            "sha384" => HashAlgorithmName.SHA384,
            "sha512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        });
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0) hash.AppendData(buffer, 0, read);
        return new Digest(Algorithm, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static int HexLength(string algorithm) => algorithm switch
    {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => 0,
    };

    [GeneratedRegex("^[a-f0-9]+$")]
    private static partial Regex LowerHex();
}
