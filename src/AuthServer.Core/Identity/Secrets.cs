using System.Security.Cryptography;
using System.Text;

namespace AuthServer.Core.Identity;

/// <summary>
/// Random bearer secrets (refresh tokens, robot secrets, personal access tokens): 32 random
/// bytes, base64url, behind a fixed prefix so secret scanners can recognise a leaked one and so
/// the server knows, before any work, which kind of credential it was given. Only the SHA-256 is
/// ever stored: the secrets carry 256 bits of entropy, so a slow hash would add nothing.
/// </summary>
public static class Secrets
{
    public const string RefreshTokenPrefix = "asrt_";
    public const string RobotSecretPrefix = "asrb_";
    public const string AccessTokenPrefix = "aspat_";

    public static readonly IReadOnlyList<string> Prefixes = [RefreshTokenPrefix, RobotSecretPrefix, AccessTokenPrefix];

    public static string Generate(string prefix) =>
        prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Compares a presented secret with a stored hash in time that does not depend on where they differ.</summary>
    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    public static bool HasPrefix(string value, string prefix) => value.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>A readable random password for bootstrap and generated accounts.</summary>
    public static string GeneratePassword() => Base64Url(RandomNumberGenerator.GetBytes(18));

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
